import { describe, expect, it } from 'vitest';
import { TwinClock } from '../clock';
import { TwinState } from '../state';
import { BackupBook, DAY, RETENTION_MS, STOPPED_CLUSTER_ERROR, backupDuration, scheduledRuns } from './vault';
import { azureExample } from '../fixtures';
import { instanceJson, jobJson, operationStatusJson, policyJson, recoveryPointJson, vaultJson } from './shapes';

const T = (iso: string) => Date.parse(iso);
const H = 3_600_000;

/** A twin whose clock only moves when the test says so. */
function twinAt(iso: string, profile: 'nap' | 'manual' = 'manual') {
  let real = T(iso);
  const clock = new TwinClock(1, () => real);
  const state = new TwinState(clock, profile);
  const book = new BackupBook(state, clock);
  return { clock, state, book, advance: (ms: number) => void (real += ms) };
}

describe('the schedule (daily 02:00 UTC)', () => {
  it.each<[string, string, string[]]>([
    ['one day', '2026-11-25T12:00:00Z', ['2026-11-26T02:00:00.000Z']],
    ['the boundary is exclusive at the start, inclusive at the end', '2026-11-26T02:00:00Z', ['2026-11-27T02:00:00.000Z']],
  ])('%s', (_name, from, expected) => {
    expect(scheduledRuns(T(from), T(from) + DAY).map((t) => new Date(t).toISOString())).toEqual(expected);
  });

  it('durations come from the cluster and the day, not chance', () => {
    const at = T('2026-11-26T02:00:05Z');
    expect(backupDuration('mgmt', at)).toBe(backupDuration('mgmt', at));
    for (const k of ['mgmt', 'app1', 'app2'] as const) {
      expect(backupDuration(k, at)).toBeGreaterThanOrEqual(150_000);
      expect(backupDuration(k, at)).toBeLessThan(5 * 60_000);
    }
  });
});

describe('seeded history', () => {
  it('holds a week of scheduled jobs per cluster and the points within 7 days', () => {
    const { book } = twinAt('2026-11-26T12:00:00Z');
    for (const k of ['mgmt', 'app1', 'app2']) {
      const jobs = book.jobs.filter((j) => j.clusterKey === k);
      expect(jobs.map((j) => new Date(j.startTime).toISOString().slice(0, 10))).toEqual([
        '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26',
      ]);
      expect(jobs.every((j) => j.status === 'Succeeded' && !j.isUserTriggered)).toBe(true);
      // The 19th's point expired on the 26th at 02:00 (+offset): 7 left.
      const points = book.points.filter((p) => p.clusterKey === k);
      expect(points).toHaveLength(7);
      expect(points.every((p) => p.expiry === p.time + RETENTION_MS && p.stores.join() === 'OperationalStore')).toBe(true);
    }
  });

  it('is the same for the same clock', () => {
    const a = twinAt('2026-11-26T12:00:00Z').book;
    const b = twinAt('2026-11-26T12:00:00Z').book;
    const facts = (x: BackupBook) => x.jobs.map((j) => [j.clusterKey, j.startTime, j.endTime, j.status]);
    expect(facts(a)).toEqual(facts(b));
  });
});

describe('on the twin clock', () => {
  it('runs the next scheduled job, completes it after its duration and prunes the expired point', () => {
    const t = twinAt('2026-11-26T12:00:00Z');
    t.advance(14 * H + 6_000); // 02:00:06 on the 27th: mgmt's job (offset 5 s) has started
    t.book.sync();
    const mgmt = t.book.jobs.filter((j) => j.clusterKey === 'mgmt');
    const last = mgmt[mgmt.length - 1];
    expect(new Date(last.startTime).toISOString()).toBe('2026-11-27T02:00:05.000Z');
    expect(last.status).toBe('Started');
    expect(t.book.jobs.filter((j) => j.clusterKey === 'app2' && j.startTime > T('2026-11-27T00:00:00Z'))).toHaveLength(0);
    t.advance(backupDuration('mgmt', last.startTime));
    t.book.sync();
    expect(last.status).toBe('Succeeded');
    const points = t.book.points.filter((p) => p.clusterKey === 'mgmt');
    expect(points).toHaveLength(7);
    expect(points.some((p) => p.id === last.recoveryPointId && p.time === last.startTime)).toBe(true);
  });

  it('fails a backup of a stopped cluster, scheduled or ad hoc (AKS backs up running clusters only)', () => {
    const t = twinAt('2026-11-26T12:00:00Z');
    const app2 = t.state.clusters.find((c) => c.key === 'app2')!;
    t.state.beginPowerOperation(app2, 'stop');
    t.advance(10 * 60_000);
    t.book.sync();
    expect(app2.power).toBe('Stopped');
    const op = t.book.triggerBackup('app2');
    const job = t.book.jobs.find((j) => j.id === op.jobId)!;
    t.advance(60_000);
    t.book.sync();
    expect(job.status).toBe('Failed');
    expect(job.failure).toEqual(STOPPED_CLUSTER_ERROR);
    t.advance(DAY);
    t.book.sync();
    const scheduled = t.book.jobs.filter((j) => j.clusterKey === 'app2' && !j.isUserTriggered).at(-1)!;
    expect(new Date(scheduled.startTime).toISOString()).toBe('2026-11-27T02:00:45.000Z');
    expect(scheduled.status).toBe('Failed');
    // mgmt kept running and was backed up.
    expect(t.book.jobs.filter((j) => j.clusterKey === 'mgmt').at(-1)!.status).toBe('Succeeded');
  });

  it('uses the power state at the scheduled time, not at the time it is noticed', () => {
    const t = twinAt('2026-11-26T12:00:00Z');
    const app1 = t.state.clusters.find((c) => c.key === 'app1')!;
    t.state.beginPowerOperation(app1, 'stop'); // stopped from 12:06 on the 26th
    t.advance(20 * H); // 08:00 on the 27th: the 02:00 run happened while stopped
    t.book.sync();
    expect(t.book.jobs.filter((j) => j.clusterKey === 'app1').at(-1)!.status).toBe('Failed');
  });

  it('fails injected backups, then recovers', () => {
    const t = twinAt('2026-11-26T12:00:00Z');
    t.book.failNext('app1', 1, 'UserErrorBackupExtensionUnhealthy', 'extension down');
    const first = t.book.triggerBackup('app1');
    t.advance(10 * 60_000);
    t.book.sync();
    expect(t.book.jobs.find((j) => j.id === first.jobId)!.status).toBe('Failed');
    const second = t.book.triggerBackup('app1');
    t.advance(10 * 60_000);
    t.book.sync();
    expect(t.book.jobs.find((j) => j.id === second.jobId)!.status).toBe('Succeeded');
  });

  it('refuses a second backup while one runs', () => {
    const t = twinAt('2026-11-26T12:00:00Z');
    t.book.triggerBackup('mgmt');
    expect(() => t.book.triggerBackup('mgmt')).toThrow(/in progress/);
  });

  it('a reset rebuilds the history', () => {
    const t = twinAt('2026-11-26T12:00:00Z');
    t.book.triggerBackup('mgmt');
    t.state.reset('manual');
    expect(t.book.jobs.some((j) => j.isUserTriggered)).toBe(false);
    expect(t.book.jobs).toHaveLength(24);
  });
});

// Azure's official 2026-06-01 examples, copied into the repository (lib/twin/fixtures).
const example = (file: string, status = '200') => azureExample(`dataprotection/2026-06-01/${file}`, status);
const typeOf = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
function expectShape(actual: unknown, reference: unknown, ignore: string[] = []) {
  const a = actual as Record<string, unknown>;
  for (const [k, v] of Object.entries(reference as Record<string, unknown>)) {
    if (ignore.includes(k)) continue;
    expect(a, `key ${k}`).toHaveProperty([k]);
    expect(typeOf(a[k]), `type of ${k}`).toBe(typeOf(v));
  }
}

describe('Data Protection shapes against the official 2026-06-01 examples', () => {
  const t = twinAt('2026-11-26T12:00:00Z');
  const ids = { sub: '00000000-0000-4000-8000-00000000d3e0', names: t.state.names };
  const cluster = t.state.clusters[0];

  it('vault, policy, instance', () => {
    const vault = example('GetBackupVault.json');
    expectShape(vaultJson(ids), vault);
    expectShape(vaultJson(ids).properties, vault.properties);
    expectShape(vaultJson(ids).properties.storageSettings[0], (vault.properties as { storageSettings: unknown[] }).storageSettings[0]);
    const policy = example('GetBackupPolicy.json');
    expectShape(policyJson(ids), policy);
    expectShape(policyJson(ids).properties, policy.properties);
    const bi = example('PutBackupInstance_KubernetesClusterBackupDatasourceParameters.json');
    const mine = instanceJson(ids, cluster, { status: 'ProtectionConfigured' });
    expectShape(mine, bi);
    expectShape(mine.properties, bi.properties);
    expectShape(mine.properties.policyInfo, (bi.properties as { policyInfo: unknown }).policyInfo);
  });

  it('job, recovery point, operation status', () => {
    const job = example('GetJob.json');
    const mine = jobJson(ids, t.book.jobs[0], cluster, t.clock.now());
    expectShape(mine, job);
    expectShape(mine.properties, job.properties);
    const rp = (example('ListRecoveryPoints.json').value as Record<string, unknown>[])[0];
    const point = recoveryPointJson(ids, t.book.points[0]);
    expectShape(point, rp);
    expectShape(point.properties, rp.properties);
    const op = t.book.triggerBackup('app2');
    t.advance(60_000);
    expectShape(operationStatusJson(ids, op, t.clock.now()), example('GetOperationStatus.json'));
  });
});

describe('a book built after the environment changed', () => {
  it('keeps the seeded week as run, and treats a cluster already stopped as stopped from then on', () => {
    let real = T('2026-11-26T12:00:00Z');
    const clock = new TwinClock(1, () => real);
    const state = new TwinState(clock, 'manual');
    const app2 = state.clusters.find((c) => c.key === 'app2')!;
    state.beginPowerOperation(app2, 'stop');
    real += 10 * 60_000;
    expect(state.clusters.find((c) => c.key === 'app2')!.power).toBe('Stopped');
    const book = new BackupBook(state, clock);
    expect(book.jobs.filter((j) => j.clusterKey === 'app2').every((j) => j.status === 'Succeeded')).toBe(true);
    real += DAY;
    book.sync();
    expect(book.jobs.filter((j) => j.clusterKey === 'app2').at(-1)!.status).toBe('Failed');
  });
});
