import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countRequests, startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';
import { waitFor } from '../../test/wait-for';


/** lib/backup through its real REST client against the twin's Data Protection API. */
const OPERATOR = { id: 'test-operator', name: 'Test operator', role: 'Operator', via: 'session' } as const;
const DAY = 24 * 3_600_000;
let twin: Twin;
let url: string;
let lib: {
  backup: typeof import('./index');
  client: typeof import('./client');
  topology: typeof import('../topology');
  cache: typeof import('../cache/shared-read');
};

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'manual' }));
  lib = {
    backup: await import('./index'),
    client: await import('./client'),
    topology: await import('../topology'),
    cache: await import('../cache/shared-read'),
  };
});

afterAll(async () => {
  await twin.close();
});

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(res.status, `${method} ${path}`).toBeLessThan(400);
  return res.json() as Promise<unknown>;
}


async function page() {
  lib.cache.sharedReads().clear();
  return lib.backup.getBackupPage();
}

beforeEach(async () => {
  await admin('POST', '/_twin/reset', { profile: 'manual' });
  lib.cache.sharedReads().clear();
});

describe('backup state through the Data Protection REST API', () => {
  it('reads the vault, the policy and a week of history per cluster', async () => {
    const p = await page();
    expect(p.vault.status).toBe('ok');
    expect(p.vault.value).toMatchObject({ name: 'bv-k8s-demo', redundancy: 'ZoneRedundant', crossRegionRestore: false });
    expect(p.policy.value).toMatchObject({ name: 'bp-aks-daily', backupRuleName: 'BackupDaily', schedule: ['R/2026-01-01T02:00:00+00:00/P1D'] });
    expect(p.policy.value!.retention).toEqual([{ store: 'OperationalStore', tier: 'operational', deleteAfter: 'P7D', copiesTo: [] }]);
    for (const c of p.clusters) {
      expect(c.instance.value).toMatchObject({ name: `bi-${c.key}`, protectionStatus: 'ProtectionConfigured', clusterName: c.name });
      expect(c.jobs.value!.length).toBe(8);
      expect(c.jobs.value!.every((j) => j.state === 'succeeded' && j.operation === 'ScheduledBackup')).toBe(true);
      expect(c.recoveryPoints.value!.length).toBe(7);
      for (const rp of c.recoveryPoints.value!) {
        expect(rp.tiers).toEqual(['operational']);
        expect(rp.expiry! - rp.time).toBe(7 * DAY);
        expect(rp.expiry!).toBeGreaterThan(p.now);
      }
      expect(c.rpo?.status).toBe('green');
      expect(new Date(c.nextRunAt!).toISOString()).toMatch(/T02:00:00\.000Z$/);
      expect(c.nextRunAt! - p.now).toBeLessThanOrEqual(DAY);
    }
    // The target's clock, not this machine's: the twin runs 600× and the history is in its time.
    expect(Math.abs(p.now - Date.parse((await admin('GET', '/_twin/clock') as { now: string }).now))).toBeLessThan(120_000);
    expect(Object.fromEntries(p.dr.map((r) => [r.id, r.verdict]))).toEqual({
      'spot-eviction': 'recoverable',
      'zone-failure': 'recoverable',
      'cluster-failure': 'recoverable',
      'region-failure': 'not-recoverable',
    });
  });

  it('backs up now: a job appears, succeeds, and leaves a new recovery point', async () => {
    const before = await page();
    const app1 = before.clusters.find((c) => c.key === 'app1')!;
    const accepted = await lib.backup.backUpNow(OPERATOR, 'app1');
    expect(accepted.outcome).toBe('accepted');
    expect(countRequests(twin, 'POST', /\/backupInstances\/bi-app1\/backup$/)).toBe(1);
    const pending = await waitFor(async () => (await page()).clusters.find((c) => c.key === 'app1')!.pending, (p) => Boolean(p?.jobId || p?.error));
    expect(pending?.error).toBeUndefined();
    // The LRO was followed through Azure-AsyncOperation, honouring Retry-After.
    expect(countRequests(twin, 'GET', /\/operationStatus\//)).toBeGreaterThanOrEqual(1);
    const done = await waitFor(
      async () => (await page()).clusters.find((c) => c.key === 'app1')!,
      (c) => c.jobs.value!.some((j) => j.id === pending!.jobId && j.state === 'succeeded'),
    );
    const job = done.jobs.value!.find((j) => j.id === pending!.jobId)!;
    expect(job).toMatchObject({ operation: 'OnDemandBackup', userTriggered: true, category: 'Backup' });
    expect(done.recoveryPoints.value!.length).toBe(app1.recoveryPoints.value!.length + 1);
    expect(done.recoveryPoints.value![0].time).toBe(job.startTime);
    expect(done.rpo?.status).toBe('green');
  });

  it('a backup of a stopped cluster fails as in Azure and puts the RPO at risk (AKS backs up running clusters only)', async () => {
    const app2 = twin.state.clusters.find((c) => c.key === 'app2')!;
    twin.state.beginPowerOperation(app2, 'stop');
    await waitFor(async () => twin.state.clusters.find((c) => c.key === 'app2')!.power, (p) => p === 'Stopped');
    lib.topology.invalidateCluster('app2');
    await lib.backup.backUpNow(OPERATOR, 'app2');
    const c = await waitFor(
      async () => (await page()).clusters.find((x) => x.key === 'app2')!,
      (x) => x.jobs.value![0].userTriggered && x.jobs.value![0].state === 'failed',
    );
    expect(c.jobs.value![0].errors[0]).toMatchObject({ code: 'UserErrorKubernetesClusterNotRunning' });
    expect(c.instance.value!.protectionStatus).toBe('ProtectionError');
    expect(c.power).toBe('Stopped');
    expect(c.rpo?.status).toBe('at-risk');
    expect(c.rpo?.reasons.join()).toMatch(/stopped/);
  });

  it('an injected job failure shows with its error; other clusters are untouched', async () => {
    await admin('POST', '/_twin/dataprotection/fail-backups', { cluster: 'mgmt', code: 'UserErrorBackupExtensionUnhealthy', message: 'extension down' });
    await lib.backup.backUpNow(OPERATOR, 'mgmt');
    const p = await waitFor(page, (x) => x.clusters[0].jobs.value![0].userTriggered && x.clusters[0].jobs.value![0].state === 'failed');
    expect(p.clusters[0].jobs.value![0].errors).toEqual([expect.objectContaining({ code: 'UserErrorBackupExtensionUnhealthy', message: 'extension down' })]);
    expect(p.clusters[0].rpo?.status).toBe('at-risk');
    expect(p.clusters[1].rpo?.status).toBe('green');
  });

  it('refuses a second backup while one runs, with the service error', async () => {
    await lib.backup.backUpNow(OPERATOR, 'app1');
    await expect(lib.backup.backUpNow(OPERATOR, 'app1')).rejects.toMatchObject({ kind: 'refused', code: 'UserErrorBackupOperationInProgress' });
  });

  it('when the Data Protection API fails, the page says so and the rest still renders', async () => {
    await admin('POST', '/_twin/faults', { path: 'Microsoft.DataProtection', status: 503, code: 'ServiceUnavailable', message: 'Data Protection is down' });
    try {
      const p = await page();
      expect(p.vault.status).toBe('failed');
      expect(p.vault.error?.message).toMatch(/Data Protection is down/);
      expect(p.clusters.every((c) => c.jobs.status === 'failed' && c.recoveryPoints.status === 'failed' && c.rpo === undefined)).toBe(true);
      // The topology does not depend on Data Protection.
      expect(p.clusters.map((c) => c.power)).toEqual(['Running', 'Running', 'Running']);
      expect(Object.fromEntries(p.dr.map((r) => [r.id, r.verdict]))).toMatchObject({ 'zone-failure': 'recoverable', 'cluster-failure': 'unknown', 'region-failure': 'unknown' });
      await expect(lib.backup.backUpNow(OPERATOR, 'app1')).rejects.toMatchObject({ kind: 'upstream' });
    } finally {
      await admin('DELETE', '/_twin/faults');
    }
  });

  it('restores a recovery point as a long-running operation that starts a Restore job', async () => {
    const p = await page();
    const app1 = p.clusters.find((c) => c.key === 'app1')!;
    const rp = app1.recoveryPoints.value![0];
    const op = await lib.client.beginRestore(app1.instance.value!.id, rp.id, { clusterResourceId: app1.instance.value!.clusterResourceId, location: 'koreacentral' });
    expect(op.statusUrl).toMatch(/\/operationStatus\//);
    expect(op.retryAfterMs).toBeGreaterThan(0);
    const { jobId } = await lib.client.pollOperation(op, { intervalMs: 50 });
    const job = await waitFor(() => lib.client.getJob(p.vault.value!.id, jobId), (j) => j.state !== 'running');
    expect(job).toMatchObject({ category: 'Restore', operation: 'Restore', state: 'succeeded' });
    await expect(lib.client.beginRestore(app1.instance.value!.id, 'nope', { clusterResourceId: app1.instance.value!.clusterResourceId, location: 'koreacentral' })).rejects.toMatchObject({ kind: 'not_found' });
  });
});
