import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { countRequests, startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';
import { waitFor } from '../../test/wait-for';


// The restore action reads its caller from the session cookie; these stand in for the request's.
const request = vi.hoisted(() => ({ cookies: new Map<string, string>(), headers: new Headers({ 'x-forwarded-for': 'backup-test' }) }));
vi.mock('next/headers', () => ({
  cookies: async () => ({ get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name)! } : undefined) }),
  headers: async () => request.headers,
}));

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
  actions: typeof import('../../app/actions/backup');
  session: typeof import('../auth/session');
  db: typeof import('../db');
};

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'manual' }));
  lib = {
    backup: await import('./index'),
    client: await import('./client'),
    topology: await import('../topology'),
    cache: await import('../cache/shared-read'),
    actions: await import('../../app/actions/backup'),
    session: await import('../auth/session'),
    db: await import('../db'),
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
      // The job list and the instance are two reads made together: wait until both tell of the failure.
      (x) => x.jobs.value![0].userTriggered && x.jobs.value![0].state === 'failed' && x.instance.value?.protectionStatus === 'ProtectionError',
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

describe('restore latest, in place', () => {
  const restores = () => countRequests(twin, 'POST', /\/backupInstances\/[^/]+\/restore$/);
  const app = async (key: string) => (await page()).clusters.find((c) => c.key === key)!;

  it('refuses a recovery point that is not the cluster’s, or not a recovery point id at all, and changes nothing', async () => {
    const before = restores();
    const app2Point = (await app('app2')).recoveryPoints.value![0].id;
    await expect(lib.backup.restoreLatest({ cluster: 'app1', recoveryPointId: 'a0b1c2d3e4f5' })).rejects.toMatchObject({ kind: 'not_found', message: expect.stringMatching(/a0b1c2d3e4f5 is not one of the 7 recovery points of bi-app1/) });
    await expect(lib.backup.restoreLatest({ cluster: 'app1', recoveryPointId: app2Point })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(lib.backup.restoreLatest({ cluster: 'app1', recoveryPointId: '../../backupJobs' })).rejects.toMatchObject({ kind: 'validation' });
    await expect(lib.backup.restoreLatest({ cluster: 'app1', recoveryPointId: 'x'.repeat(65) })).rejects.toMatchObject({ kind: 'validation' });
    expect(restores()).toBe(before);
    const after = await app('app1');
    expect(after.jobs.value!.some((j) => j.category === 'Restore')).toBe(false);
    expect(after.restore).toBeUndefined();
    expect((await lib.backup.getRestoreStatus('app1')).state).toBe('none');
  });

  it('a Reader is refused by the action before anything is read or sent', async () => {
    const before = { restores: restores(), requests: twin.requests.length };
    const reader = await lib.session.createSession({ userId: 'reader-oid', userName: 'Riley Reader', loginName: 'reader@demo', tenantId: 't', role: 'Reader' });
    request.cookies.set('aksdemo_session', reader.token);
    try {
      const result = await lib.actions.restoreClusterAction({ cluster: 'app1' });
      expect(result).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    } finally {
      request.cookies.clear();
    }
    expect(restores()).toBe(before.restores);
    expect(twin.requests.length).toBe(before.requests);
    const audit = await lib.db.getDb().auditEntry.findMany({ where: { action: 'backup.restore' } });
    expect(audit.map((a) => a.result)).toEqual(['forbidden']);
  });

  it('restores app1 from its newest recovery point: accepted at once, then a Restore job that succeeds on the twin’s clock', async () => {
    const before = await app('app1');
    const newest = before.recoveryPoints.value![0];
    expect(before.restorable).toEqual({ id: newest.id, time: newest.time, tier: 'operational' });

    const accepted = await lib.backup.restoreLatest({ cluster: 'app1' }, OPERATOR);
    expect(accepted).toMatchObject({ cluster: 'app1', outcome: 'accepted', recoveryPoint: { id: newest.id, time: newest.time, tier: 'operational' } });
    expect(accepted.operation.statusUrl).toMatch(/\/operationStatus\//);
    expect(accepted.message).toContain(newest.id);
    expect(countRequests(twin, 'POST', /\/backupInstances\/bi-app1\/restore$/)).toBe(1);

    // The status moves from "requested" to the job's own states; polled as a caller would.
    const states = new Set<string>();
    const done = await waitFor(
      async () => {
        const s = await lib.backup.getRestoreStatus('app1');
        states.add(s.state);
        return s;
      },
      (s) => s.state === 'succeeded' || s.state === 'failed',
      60_000,
    );
    expect(done.state).toBe('succeeded');
    expect(done.job).toMatchObject({ category: 'Restore', operation: 'Restore', userTriggered: true });
    expect(done.restore?.actor).toBe(OPERATOR.name);
    expect([...states].every((s) => ['requested', 'running', 'succeeded'].includes(s))).toBe(true);

    const after = await app('app1');
    expect(after.restore).toMatchObject({ jobId: done.job!.id, recoveryPoint: { id: newest.id } });
    expect(after.jobs.value!.find((j) => j.id === done.job!.id)?.state).toBe('succeeded');
    // A restore takes no recovery point of its own.
    expect(after.recoveryPoints.value!.length).toBe(before.recoveryPoints.value!.length);
  });

  it('restores a named older point of the cluster’s own', async () => {
    const older = (await app('app2')).recoveryPoints.value![3];
    const accepted = await lib.backup.restoreLatest({ cluster: 'app2', recoveryPointId: older.id }, OPERATOR);
    expect(accepted.recoveryPoint).toEqual({ id: older.id, time: older.time, tier: 'operational' });
  });
});
