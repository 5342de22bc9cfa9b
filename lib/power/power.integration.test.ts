import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, countLists, countRequests } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';
import { waitFor } from '../../test/wait-for';

const OPERATOR = { id: 'test-operator', name: 'Test operator', role: 'Operator', via: 'session' } as const;
let twin: Twin;
let lib: {
  topology: typeof import('../topology');
  power: typeof import('./index');
  cache: typeof import('../cache/shared-read');
  db: typeof import('../db');
};

beforeAll(async () => {
  // AKS's stop takes about 6 minutes: at ×150 it is 2.4 s here, long enough to see it Stopping mid-way on a busy machine.
  ({ twin } = await startHarness({ profile: 'nap', clockSpeed: 150 }));
  lib = {
    topology: await import('../topology'),
    power: await import('./index'),
    cache: await import('../cache/shared-read'),
    db: await import('../db'),
  };
});

afterAll(async () => {
  await twin.close();
});

async function resetTwin(profile: 'nap' | 'manual') {
  // The clusters' watches close with the reset: start the caches afresh so that no relist lands in the next test.
  await (await import('../k8s/informer')).resetInformers({ idleStopMs: 5_000 });
  twin.state.reset(profile);
  twin.requests.length = 0;
  for (const k of ['mgmt', 'app1', 'app2'] as const) lib.topology.invalidateCluster(k);
}


describe('topology through the real ARM SDK against the twin', () => {
  beforeEach(() => resetTwin('nap'));

  it('lists 3 clusters with 8 pools over zones 1–3; NAP workers shown as node auto-provisioning', async () => {
    const t = await lib.topology.getTopology();
    expect(t.target).toBe('twin');
    expect(t.clusters.map((c) => [c.name, c.status])).toEqual([
      ['aks-mgmt', 'ok'],
      ['aks-app1', 'ok'],
      ['aks-app2', 'ok'],
    ]);
    const pools = t.clusters.flatMap((c) => c.view!.pools.map((p) => `${c.key}/${p.name}/${p.priority}/${p.source}`));
    expect(pools).toEqual([
      'mgmt/system/Regular/agentPool', 'mgmt/ingress/Regular/agentPool', 'mgmt/worker/Spot/nodeAutoProvisioning',
      'app1/system/Regular/agentPool', 'app1/ingress/Regular/agentPool', 'app1/worker/Spot/nodeAutoProvisioning',
      'app2/system/Regular/agentPool', 'app2/worker/Spot/nodeAutoProvisioning',
    ]);
    const system = t.clusters[0].view!.pools[0];
    expect(system.perZone).toEqual({ '1': 1, '2': 1, '3': 1 });
    const v = t.clusters[2].view!;
    expect(v).toMatchObject({ kubernetesVersion: '1.35.4', tier: 'Standard', nodeProvisioningMode: 'Auto', privateCluster: true, powerState: 'Running' });
    expect(v.network).toBe('azure / overlay / cilium');
  });

  it('twenty concurrent viewers cause one cluster read and one pool list per cluster', async () => {
    await Promise.all(Array.from({ length: 20 }, () => lib.topology.getTopology()));
    expect(countRequests(twin, 'GET', /\/managedClusters\/aks-[a-z0-9]+$/i)).toBe(3);
    expect(countRequests(twin, 'GET', /\/agentPools$/i)).toBe(3);
    // Nodes per zone come from each cluster's watch-fed cache: one list per cluster too, then its watch (and its
    // kubeconfig, once per process). A tile does not wait more than a moment for them, so the last may land just after the render.
    await waitFor(async () => countLists(twin, /\/api\/v1\/nodes$/), (n) => n >= 3);
    expect(countLists(twin, /\/api\/v1\/nodes$/)).toBe(3);
    const watches = twin.requests.filter((r) => r.watch).length;
    expect(watches).toBeLessThanOrEqual(3);
    expect(twin.requests.length).toBe(9 + watches + countRequests(twin, 'POST', /\/listClusterUserCredential$/i));
  });

  it('a failing cluster shows as failed with the error while the others render', async () => {
    lib.cache.sharedReads().clear();
    twin['faults'].push({ path: '/managedClusters/aks-app1', status: 500, code: 'InjectedServerError', message: 'twin: injected failure' });
    try {
      const t = await lib.topology.getTopology();
      const app1 = t.clusters.find((c) => c.key === 'app1')!;
      expect(app1.status).toBe('failed');
      expect(app1.error?.kind).toBe('upstream');
      // Whichever read failed first (cluster GET or pool list), ARM's error code reaches the tile.
      expect(app1.error?.code).toBe('InjectedServerError');
      expect(app1.error?.message).toMatch(/500/);
      expect(t.clusters.filter((c) => c.status === 'ok').map((c) => c.key)).toEqual(['mgmt', 'app2']);
    } finally {
      twin['faults'].length = 0;
    }
  });

  it('keeps the last good answer as stale when a refresh fails', async () => {
    await lib.topology.getTopology();
    lib.topology.invalidateCluster('app2');
    twin['faults'].push({ path: '/managedClusters/aks-app2', status: 503, code: 'ServiceUnavailable', message: 'down' });
    try {
      const app2 = (await lib.topology.getTopology()).clusters[2];
      expect(app2.status).toBe('stale');
      expect(app2.view?.name).toBe('aks-app2');
      expect(app2.fetchedAt).toBeTypeOf('number');
    } finally {
      twin['faults'].length = 0;
    }
  });
});

describe('power through the SDK poller', () => {
  it('shows AKS refusal for a NAP cluster and changes nothing', async () => {
    await resetTwin('nap');
    const err = await lib.power.powerCluster(OPERATOR, 'stop', 'app2').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'refused', code: 'OperationNotAllowed' });
    expect((err as Error).message).toContain("nodeProvisioningProfile.mode 'Auto'");
    expect(twin.state.clusters[2]).toMatchObject({ power: 'Running', provisioningState: 'Succeeded' });
    expect(twin.state.operations.size).toBe(0);
  });

  it('stops and starts app2 on the manual profile, following the LRO to its end', async () => {
    await resetTwin('manual');
    const accepted = await lib.power.powerCluster(OPERATOR, 'stop', 'app2');
    expect(accepted.outcome).toBe('accepted');
    const db = lib.db.getDb();
    const mid = await lib.topology.getClusterTile('app2');
    expect(mid.view?.provisioningState).toBe('Stopping');
    const op = await waitFor(() => db.operation.findUnique({ where: { id: accepted.operationId } }), (o) => o?.status === 'Succeeded');
    expect(op?.finishedAt).toBeInstanceOf(Date);
    // The poller read the operation status that the twin served, not a guess.
    expect(countRequests(twin, 'GET', /\/operations\//i)).toBeGreaterThan(0);
    const stopped = await lib.topology.getClusterTile('app2');
    expect(stopped.view).toMatchObject({ powerState: 'Stopped', provisioningState: 'Succeeded' });
    expect(stopped.view?.start.allowed).toBe(true);

    const started = await lib.power.powerCluster(OPERATOR, 'start', 'app2');
    await waitFor(() => db.operation.findUnique({ where: { id: started.operationId } }), (o) => o?.status === 'Succeeded');
    expect((await lib.topology.getClusterTile('app2')).view?.powerState).toBe('Running');
  });

  it('power down: AKS stop where AKS allows it (Manual), sleep where it does not (node auto-provisioning); no-op once there', async () => {
    await resetTwin('nap');
    twin.state.clusters[2].nodeProvisioningMode = 'Manual';
    twin.state.clusters[2].defaultNodePools = undefined;
    const results = await lib.power.powerEnvironment(OPERATOR, 'stop');
    expect(results.map((r) => [r.cluster, r.outcome])).toEqual([
      ['mgmt', 'accepted'],
      ['app1', 'accepted'],
      ['app2', 'accepted'],
    ]);
    await waitFor(async () => twin.state.clusters[2].power, (p) => p === 'Stopped');
    await waitFor(() => lib.db.getDb().operation.count({ where: { status: 'InProgress' } }), (n) => n === 0);
    const runs = await waitFor(() => lib.db.getDb().powerRun.findMany(), (r) => r.length === 2 && r.every((x) => x.status !== 'InProgress'), 20_000);
    expect(runs.map((r) => `${r.cluster}:${r.direction}:${r.status}`).sort()).toEqual(['app1:sleep:Succeeded', 'mgmt:sleep:Succeeded']);
    const again = await lib.power.powerEnvironment(OPERATOR, 'stop');
    expect(again.map((r) => r.outcome)).toEqual(['no-op', 'no-op', 'no-op']);
  });

  it('one cluster failing does not stop the others', async () => {
    await resetTwin('manual');
    twin['faults'].push({ method: 'POST', path: '/managedClusters/aks-mgmt/stop', status: 500, code: 'InternalServerError', message: 'boom' });
    try {
      const results = await lib.power.powerEnvironment(OPERATOR, 'stop');
      expect(results.map((r) => r.outcome)).toEqual(['failed', 'accepted', 'accepted']);
    } finally {
      twin['faults'].length = 0;
    }
    await waitFor(() => lib.db.getDb().operation.count({ where: { status: 'InProgress' } }), (n) => n === 0);
  });

  it('resumes following an operation left in progress by a restart', async () => {
    await resetTwin('manual');
    const db = lib.db.getDb();
    const { getAzureClients } = await import('../azure');
    // A stop accepted by AKS whose follower died with the process: only the row remains.
    await getAzureClients().containerService.managedClusters.beginStop('rg-k8s-demo-app1', 'aks-app1', { updateIntervalInMs: 50 });
    const now = new Date();
    await db.operation.create({
      data: { id: 'crashed-op', kind: 'stop', target: 'app1', status: 'InProgress', startedAt: now, updatedAt: now, actorName: 'test' },
    });
    await db.operation.create({
      data: { id: 'never-stopped-op', kind: 'stop', target: 'app2', status: 'InProgress', startedAt: now, updatedAt: now, actorName: 'test' },
    });
    expect(await lib.power.resumeOperations()).toBe(2);
    const op = await waitFor(() => db.operation.findUnique({ where: { id: 'crashed-op' } }), (o) => o?.status === 'Succeeded');
    expect(op?.finishedAt).toBeInstanceOf(Date);
    expect(twin.state.clusters[1].power).toBe('Stopped');
    // app2 was never asked to stop: after the restart it is found Running, and the row says so.
    const lost = await waitFor(() => db.operation.findUnique({ where: { id: 'never-stopped-op' } }), (o) => o?.status !== 'InProgress');
    expect(lost).toMatchObject({ status: 'Interrupted' });
    expect(lost?.error).toContain('not Stopped');
  });
});
