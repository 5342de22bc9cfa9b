import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

/**
 * Sleep and wake of a NAP cluster through the real ARM SDK (agent pool scaling, tier change) and
 * @kubernetes/client-node (NodePool limits, scale subresource, nodes) against the twin.
 */
const OPERATOR = { id: 'test-operator', name: 'Test operator', role: 'Operator', via: 'session' } as const;
let twin: Twin;
let url: string;
let lib: { power: typeof import('./index'); topology: typeof import('../topology'); db: typeof import('../db'); k8s: typeof import('../k8s') };

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'nap', clockSpeed: 600 }));
  lib = { power: await import('./index'), topology: await import('../topology'), db: await import('../db'), k8s: await import('../k8s') };
  lib.power.configureSleep({ waitTimeoutMs: 20_000, staleMs: 2_000 });
});

afterAll(async () => {
  await twin.close();
});

beforeEach(async () => {
  await fetch(`${url}/_twin/reset`, { method: 'POST', body: JSON.stringify({ profile: 'nap' }) });
  await lib.db.getDb().powerRun.deleteMany({});
  for (const k of ['mgmt', 'app1', 'app2'] as const) lib.topology.invalidateCluster(k);
});

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(v).slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Summary { nodes: { name: string; pool?: string; ready?: string; spot: boolean }[]; pods: { pending: string[] } }
const summary = async (cluster: string) => (await (await fetch(`${url}/_twin/k8s/${cluster}`)).json()) as Summary;
const run = (id: string) => lib.db.getDb().powerRun.findUniqueOrThrow({ where: { id } });
/** As if the process that ran it died a while ago: its heartbeat is stale. */
const backdate = (id: string) => lib.db.getDb().powerRun.update({ where: { id }, data: { updatedAt: new Date(Date.now() - 10_000) } });
const finished = (id: string) => until(() => run(id), (r) => r.status !== 'InProgress');

async function nodePoolLimits(cluster: 'app1') {
  const { custom } = await lib.k8s.getKubeClients(cluster);
  return ((await custom.getClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: 'spot-workers' })) as { spec: { limits: Record<string, string> } }).spec.limits;
}
async function demoReplicas() {
  const { apps } = await lib.k8s.getKubeClients('app1');
  return (await apps.readNamespacedDeploymentScale({ name: 'demo-app', namespace: 'demo' })).spec?.replicas;
}

describe('sleep and wake of a NAP cluster against the twin', () => {
  it('power down puts app1 to sleep: Spot nodes gone, ingress 0, system at 1; power up wakes it with everything Ready', async () => {
    const before = await summary('app1');
    expect(before.nodes.filter((n) => n.spot)).toHaveLength(3);

    const [down] = await lib.power.powerEnvironment(OPERATOR, 'stop', ['app1']);
    expect(down).toMatchObject({ cluster: 'app1', outcome: 'accepted' });
    const slept = await finished((down as { operationId: string }).operationId);
    expect(slept.error).toBeNull();
    expect(slept.status).toBe('Succeeded');
    const steps = JSON.parse(slept.steps) as { id: string; status: string; detail: string }[];
    expect(steps.map((s) => `${s.id}:${s.status}`)).toEqual([
      'freeze-nap:done', 'scale-workloads:done', 'await-nap-empty:done', 'scale-pool-ingress:done', 'scale-pool-system:done',
    ]);
    expect(JSON.parse(slept.memory)).toEqual({ tier: 'Standard', pools: { system: 3, ingress: 3 }, napLimits: { cpu: '10', memory: '40Gi' }, replicas: { 'demo/Deployment/demo-app': 3 } });

    const asleep = await summary('app1');
    expect(asleep.nodes.filter((n) => n.spot)).toHaveLength(0);
    expect(asleep.nodes.map((n) => n.pool)).toEqual(['system']);
    expect(await nodePoolLimits('app1')).toEqual({ cpu: '1', memory: '40Gi' });
    expect(await demoReplicas()).toBe(0);
    // ARM agrees, through the SDK.
    const live = await lib.power.readLiveCluster('app1');
    expect(live.pools.map((p) => [p.name, p.count])).toEqual([['system', 1], ['ingress', 0]]);
    // Nothing else was touched.
    expect((await summary('app2')).nodes.filter((n) => n.spot)).toHaveLength(3);

    // Idempotent: asleep and powered down again → no-op.
    expect((await lib.power.powerEnvironment(OPERATOR, 'stop', ['app1']))[0]).toMatchObject({ outcome: 'no-op', reason: 'Already asleep.' });

    const [up] = await lib.power.powerEnvironment(OPERATOR, 'start', ['app1']);
    expect(up).toMatchObject({ outcome: 'accepted' });
    const woke = await finished((up as { operationId: string }).operationId);
    expect(woke.error).toBeNull();
    expect(woke.status).toBe('Succeeded');
    const awake = await summary('app1');
    expect(awake.nodes.filter((n) => n.pool === 'system')).toHaveLength(3);
    expect(awake.nodes.filter((n) => n.pool === 'ingress')).toHaveLength(3);
    expect(awake.nodes.filter((n) => n.spot)).toHaveLength(3);
    expect(awake.nodes.every((n) => n.ready === 'True')).toBe(true);
    expect(awake.pods.pending).toEqual([]);
    expect(await nodePoolLimits('app1')).toEqual({ cpu: '10', memory: '40Gi' });
    expect(await demoReplicas()).toBe(3);
    expect((await lib.power.powerEnvironment(OPERATOR, 'start', ['app1']))[0]).toMatchObject({ outcome: 'no-op', reason: 'Already awake.' });
  });

  it('sleep on the Free tier moves the control plane to Free and back on wake', async () => {
    const [down] = await lib.power.powerEnvironment(OPERATOR, 'stop', ['app2'], { freeTierWhileAsleep: true });
    expect((await finished((down as { operationId: string }).operationId)).status).toBe('Succeeded');
    expect(twin.state.clusters.find((c) => c.key === 'app2')!.tier).toBe('Free');
    const [up] = await lib.power.powerEnvironment(OPERATOR, 'start', ['app2']);
    expect((await finished((up as { operationId: string }).operationId)).status).toBe('Succeeded');
    expect(twin.state.clusters.find((c) => c.key === 'app2')!.tier).toBe('Standard');
  });

  it('the environment: NAP clusters sleep in parallel, each with its own run; one failure does not stop the others', async () => {
    // app2's agent pool PUT fails (a 500 from ARM) twice: its sleep fails, mgmt and app1 complete.
    twin['faults'].push({ method: 'PUT', path: '/managedClusters/aks-app2/agentPools/system', status: 500, code: 'InternalServerError', message: 'twin: injected' });
    const results = await lib.power.powerEnvironment(OPERATOR, 'stop');
    expect(results.map((r) => `${r.cluster}:${r.outcome}`)).toEqual(['mgmt:accepted', 'app1:accepted', 'app2:accepted']);
    const runs = await Promise.all(results.map((r) => finished((r as { operationId: string }).operationId)));
    expect(runs.map((r) => `${r.cluster}:${r.status}`)).toEqual(['mgmt:Succeeded', 'app1:Succeeded', 'app2:Failed']);
    expect(runs[2].error).toContain('system');
    twin['faults'] = [];
    // The next power-down completes the partial sleep.
    const again = await lib.power.powerEnvironment(OPERATOR, 'stop');
    expect(again.map((r) => `${r.cluster}:${r.outcome}`)).toEqual(['mgmt:no-op', 'app1:no-op', 'app2:accepted']);
    expect((await finished((again[2] as { operationId: string }).operationId)).status).toBe('Succeeded');
    expect((await summary('mgmt')).nodes.map((n) => n.pool)).toEqual(['system']);
  });

  it('a crash in the middle of a sleep: the run stays InProgress, and the next start completes it with the remembered replicas', async () => {
    const { plan, live, memory } = await lib.power.planFor('app1', 'down', { freeTierWhileAsleep: false });
    const id = await lib.power.startPowerRun(OPERATOR, plan, live, memory, { follow: false });
    const crash = new AbortController();
    const outcome = await lib.power.executePowerRun(id, { signal: crash.signal, afterStep: (step) => step === 'scale-workloads' && crash.abort() });
    expect(outcome).toBe('InProgress');
    const half = await run(id);
    expect(half.status).toBe('InProgress');
    expect((JSON.parse(half.steps) as { status: string }[]).map((s) => s.status)).toEqual(['done', 'done', 'pending', 'pending', 'pending']);
    expect(await demoReplicas()).toBe(0);
    // Half asleep, and the planner says so.
    expect((await lib.power.planFor('app1', 'down', { freeTierWhileAsleep: false })).plan.phase).toBe('partially-asleep');

    // Not while its heartbeat is fresh: it may be running elsewhere.
    expect(await lib.power.resumeOperations()).toBe(0);
    await backdate(id);
    // The restart, by two instances: exactly one takes the run up at its current step.
    const resumed = await Promise.all([lib.power.resumeOperations(), lib.power.resumeOperations()]);
    expect(resumed.reduce((a, b) => a + b, 0)).toBe(1);
    const done = await finished(id);
    expect(done.status).toBe('Succeeded');
    expect(JSON.parse(done.memory).replicas).toEqual({ 'demo/Deployment/demo-app': 3 });
    expect((await summary('app1')).nodes.map((n) => n.pool)).toEqual(['system']);

    const [up] = await lib.power.powerEnvironment(OPERATOR, 'start', ['app1']);
    expect((await finished((up as { operationId: string }).operationId)).status).toBe('Succeeded');
    expect(await demoReplicas()).toBe(3);
  });

  it('a crash during the tier change: the restart waits for the update AKS is still running, then completes', async () => {
    const { plan, live, memory } = await lib.power.planFor('app2', 'down', { freeTierWhileAsleep: true });
    const id = await lib.power.startPowerRun(OPERATOR, plan, live, memory, { follow: false });
    const crash = new AbortController();
    const execution = lib.power.executePowerRun(id, { signal: crash.signal, afterStep: (step) => step === 'scale-pool-system' && twin.clock.setSpeed(20) });
    await until(async () => twin.state.clusters[2].provisioningState, (p) => p === 'Updating');
    crash.abort();
    expect(await execution).toBe('InProgress');
    const half = await run(id);
    expect((JSON.parse(half.steps) as { id: string; status: string }[]).at(-1)).toMatchObject({ id: 'tier-free', status: 'running' });
    twin.clock.setSpeed(600);
    await backdate(id);
    expect(await lib.power.resumeOperations()).toBe(1);
    const done = await finished(id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('Succeeded');
    expect(twin.state.clusters[2].tier).toBe('Free');
  });

  it('a second sleep of the same cluster while one runs is refused', async () => {
    const { plan, live, memory } = await lib.power.planFor('app1', 'down', { freeTierWhileAsleep: false });
    await lib.power.startPowerRun(OPERATOR, plan, live, memory, { follow: false });
    await expect(lib.power.startPowerRun(OPERATOR, plan, live, memory, { follow: false })).rejects.toThrow(/already in progress/);
    // Through the one command it is a skip with the reason, not a failure.
    expect((await lib.power.powerEnvironment(OPERATOR, 'start', ['app1']))[0]).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('already in progress') });
  });
});

describe('Bastion removed when idle, recreated on wake', () => {
  it('deletes the Bastion host, keeps its definition, and creates it again', async () => {
    const bastion = await import('./bastion');
    expect(await bastion.bastionPresent()).toBe(true);
    const removed = await bastion.removeBastion(OPERATOR);
    expect(removed.outcome).toBe('accepted');
    expect((await finished(removed.operationId!)).status).toBe('Succeeded');
    expect(await bastion.bastionPresent()).toBe(false);
    expect(await bastion.removeBastion(OPERATOR)).toEqual({ outcome: 'no-op' });
    const back = await bastion.recreateBastion(OPERATOR);
    expect(back.outcome).toBe('accepted');
    expect((await finished(back.operationId!)).status).toBe('Succeeded');
    expect(await bastion.bastionPresent()).toBe(true);
    expect(await bastion.recreateBastion(OPERATOR)).toEqual({ outcome: 'no-op' });
  });
});
