import { randomUUID } from 'node:crypto';
import type { TwinClock } from '../clock';
import { TwinError, type TwinState } from '../state';
import type { TwinCluster } from '../seed';

/**
 * The twin's Azure Backup for AKS (infra/modules/backup): one
 * ZoneRedundant vault, a daily 02:00 UTC policy keeping points 7 days in the
 * operational tier (the only one azurerm configures), one backup instance per cluster. Jobs are created
 * lazily on the twin clock from the schedule; a job ends after its duration
 * and leaves a recovery point, which is pruned when its retention ends. A
 * backup of a stopped cluster fails, as in Azure, judged from the power timeline.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const VAULT_NAME = 'bv-k8s-demo';
export const POLICY_NAME = 'bp-aks-daily';
/** infra/locals.tf backup_schedule. */
export const SCHEDULE = 'R/2026-01-01T02:00:00+00:00/P1D';
const SCHEDULE_START = Date.parse('2026-01-01T02:00:00Z');
const SCHEDULE_PERIOD = DAY;
export const RETENTION = 'P7D';
export const RETENTION_MS = 7 * DAY;
/** Jobs stay listed this long (the vault keeps history beyond the points it retains). */
const JOB_HISTORY_MS = 14 * DAY;
/** How long Data Protection takes to accept an ad-hoc backup or restore (the LRO, not the job). */
export const TRIGGER_MS = 15 * SECOND;
/** A job on a stopped cluster fails once the extension cannot be reached. */
const STOPPED_FAIL_MS = 45 * SECOND;
/** The architecture's recovery time objective: restore within 30 minutes. */
const RESTORE_MS = 12 * MINUTE;

const CLUSTER_INDEX: Record<TwinCluster['key'], number> = { mgmt: 0, app1: 1, app2: 2 };

/**
 * A backup's duration, derived from the cluster and the day (mgmt carries the
 * most add-ons): 2½–5 twin minutes, the same every time for the same inputs.
 */
export function backupDuration(key: TwinCluster['key'], at: number): number {
  const i = CLUSTER_INDEX[key];
  const day = Math.floor(at / DAY);
  const base = [4 * MINUTE, 3 * MINUTE, 150 * SECOND][i];
  return base + (((day * 37 + i * 11) % 60) + 60) % 60 * SECOND;
}

/** Each instance's scheduled job starts a few seconds apart, as the service staggers them. */
export function scheduleOffset(key: TwinCluster['key']): number {
  return (5 + CLUSTER_INDEX[key] * 20) * SECOND;
}

/** Scheduled run times (before the per-instance offset) in (from, to]. */
export function scheduledRuns(from: number, to: number): number[] {
  const out: number[] = [];
  let t = SCHEDULE_START + Math.max(0, Math.floor((from - SCHEDULE_START) / SCHEDULE_PERIOD) + 1) * SCHEDULE_PERIOD;
  if (from < SCHEDULE_START) t = SCHEDULE_START;
  for (; t <= to; t += SCHEDULE_PERIOD) if (t > from) out.push(t);
  return out;
}

export type JobStatus = 'Started' | 'Succeeded' | 'Failed';

export interface BackupJob {
  id: string;
  clusterKey: TwinCluster['key'];
  operation: 'Backup' | 'Restore';
  isUserTriggered: boolean;
  startTime: number;
  endTime: number;
  status: JobStatus;
  /** Decided when the job starts (stopped cluster, injected failure); applied when it ends. */
  failure?: { code: string; message: string };
  recoveryPointId?: string;
  /** Restore: the point restored. */
  sourceRecoveryPointId?: string;
}

export interface RecoveryPoint {
  id: string;
  clusterKey: TwinCluster['key'];
  time: number;
  expiry: number;
  stores: ('OperationalStore' | 'VaultStore')[];
}

export interface DpOperation {
  id: string;
  jobId: string;
  startTime: number;
  endTime: number;
}

interface InjectedFailure {
  count: number;
  code: string;
  message: string;
}

export const STOPPED_CLUSTER_ERROR = {
  code: 'UserErrorKubernetesClusterNotRunning',
  message:
    'The AKS cluster is not running (power state Stopped). Start the cluster and retry: the backup extension in the cluster must be reachable to take a backup.',
};

export class BackupBook {
  jobs: BackupJob[] = [];
  points: RecoveryPoint[] = [];
  operations = new Map<string, DpOperation>();
  private failures = new Map<string, InjectedFailure>();
  /** Power transitions since the last reset, per cluster (from TwinState's `power` events). */
  private power = new Map<string, { at: number; power: 'Running' | 'Stopped' }[]>();
  private initialPower = new Map<string, 'Running' | 'Stopped'>();
  /** Per cluster, scheduled runs up to here have been turned into jobs. */
  private scheduledThrough = new Map<string, number>();
  protectedSince = 0;
  /** When this book was built: history before it ran at Azure's pace, what follows at the twin's speed. */
  private builtAt = 0;

  constructor(
    private readonly state: TwinState,
    private readonly clock: TwinClock,
  ) {
    state.events.on('power', (e) => this.onPower(e.clusterKey, e.power, e.at));
    state.events.on('reset', () => this.rebuild());
    this.rebuild();
  }

  /**
   * Protection was configured eight days ago, so the schedule alone fills a
   * week of history (and the oldest day has already been pruned).
   */
  rebuild(): void {
    const now = this.clock.now();
    this.jobs = [];
    this.points = [];
    this.operations.clear();
    this.failures.clear();
    this.power.clear();
    // The seeded environment ran all week (the twin seeds clusters Running); a cluster found stopped
    // when this book is first built (after a restart of the book, not of the twin) is stopped from now on.
    this.initialPower = new Map(this.state.clusters.map((c) => [c.key, 'Running' as const]));
    for (const c of this.state.clusters) if (c.power === 'Stopped') this.power.set(c.key, [{ at: now, power: 'Stopped' }]);
    this.builtAt = now;
    this.protectedSince = now - 8 * DAY;
    this.scheduledThrough = new Map(this.state.clusters.map((c) => [c.key, this.protectedSince]));
    this.sync();
  }

  /** Called from inside TwinState.advance: do not read `state.clusters` here. */
  private onPower(key: string, power: 'Running' | 'Stopped', at: number): void {
    const list = this.power.get(key) ?? [];
    list.push({ at, power });
    this.power.set(key, list);
  }

  powerAt(key: TwinCluster['key'], at: number): 'Running' | 'Stopped' {
    let p = this.initialPower.get(key) ?? 'Running';
    for (const e of this.power.get(key) ?? []) if (e.at <= at) p = e.power;
    return p;
  }

  get clusters(): TwinCluster[] {
    return this.state.clusters;
  }

  /** Brings jobs, points and operations up to the twin's now. */
  sync(): void {
    const clusters = this.state.clusters; // advances power operations first, so the timeline is current
    const now = this.clock.now();
    for (const c of clusters) {
      const from = this.scheduledThrough.get(c.key) ?? this.protectedSince;
      for (const run of scheduledRuns(from, now - scheduleOffset(c.key))) {
        this.startBackup(c.key, run + scheduleOffset(c.key), false);
        this.scheduledThrough.set(c.key, run);
      }
    }
    for (const job of this.jobs) {
      if (job.status === 'Started' && job.endTime <= now) this.finish(job);
    }
    this.points = this.points.filter((p) => p.expiry > now);
    this.jobs = this.jobs.filter((j) => j.startTime > now - JOB_HISTORY_MS);
  }

  /** A job's duration: as on Azure in the seeded history, compressed by the clock's speed after. */
  private took(start: number, ms: number): number {
    return start < this.builtAt ? ms : this.clock.duration(ms);
  }

  private startBackup(key: TwinCluster['key'], start: number, userTriggered: boolean): BackupJob {
    const job: BackupJob = {
      id: randomUUID(),
      clusterKey: key,
      operation: 'Backup',
      isUserTriggered: userTriggered,
      startTime: start,
      endTime: start + this.took(start, backupDuration(key, start)),
      status: 'Started',
    };
    const injected = this.failures.get(key);
    if (this.powerAt(key, start) === 'Stopped') {
      job.failure = STOPPED_CLUSTER_ERROR;
      job.endTime = start + this.took(start, STOPPED_FAIL_MS);
    } else if (injected) {
      job.failure = { code: injected.code, message: injected.message };
      injected.count -= 1;
      if (injected.count <= 0) this.failures.delete(key);
    }
    this.jobs.push(job);
    return job;
  }

  private finish(job: BackupJob): void {
    if (job.failure) {
      job.status = 'Failed';
      return;
    }
    job.status = 'Succeeded';
    if (job.operation === 'Backup') {
      // The point is the snapshot taken when the job started.
      const point: RecoveryPoint = {
        id: randomUUID().replace(/-/g, ''),
        clusterKey: job.clusterKey,
        time: job.startTime,
        expiry: job.startTime + RETENTION_MS,
        stores: ['OperationalStore'],
      };
      job.recoveryPointId = point.id;
      this.points.push(point);
    }
  }

  private inProgress(key: TwinCluster['key']): BackupJob | undefined {
    return this.jobs.find((j) => j.clusterKey === key && j.status === 'Started');
  }

  /** BackupInstances_AdhocBackup: a job starts now; the returned operation completes once it is accepted. */
  triggerBackup(key: TwinCluster['key']): DpOperation {
    this.sync();
    const busy = this.inProgress(key);
    if (busy) {
      throw new TwinError(
        409,
        'UserErrorBackupOperationInProgress',
        `Another ${busy.operation.toLowerCase()} operation (job ${busy.id}) is in progress on this backup instance. Wait for it to finish and retry.`,
      );
    }
    const now = this.clock.now();
    const job = this.startBackup(key, now, true);
    return this.operation(job.id, now);
  }

  /** BackupInstances_Restore into a cluster from one of this instance's recovery points. */
  restore(sourceKey: TwinCluster['key'], recoveryPointId: string, targetKey: TwinCluster['key']): DpOperation {
    this.sync();
    const point = this.points.find((p) => p.clusterKey === sourceKey && p.id === recoveryPointId);
    if (!point) {
      throw new TwinError(404, 'UserErrorRecoveryPointNotFound', `Recovery point '${recoveryPointId}' was not found for this backup instance.`);
    }
    const busy = this.inProgress(targetKey);
    if (busy) {
      throw new TwinError(409, 'UserErrorBackupOperationInProgress', `Another ${busy.operation.toLowerCase()} operation (job ${busy.id}) is in progress on the target cluster.`);
    }
    const now = this.clock.now();
    const job: BackupJob = {
      id: randomUUID(),
      clusterKey: targetKey,
      operation: 'Restore',
      isUserTriggered: true,
      startTime: now,
      endTime: now + this.clock.duration(RESTORE_MS),
      status: 'Started',
      sourceRecoveryPointId: point.id,
    };
    if (this.powerAt(targetKey, now) === 'Stopped') {
      job.failure = STOPPED_CLUSTER_ERROR;
      job.endTime = now + this.clock.duration(STOPPED_FAIL_MS);
    }
    this.jobs.push(job);
    return this.operation(job.id, now);
  }

  private operation(jobId: string, now: number): DpOperation {
    const op: DpOperation = { id: Buffer.from(`${randomUUID()};${jobId}`).toString('base64'), jobId, startTime: now, endTime: now + this.clock.duration(TRIGGER_MS) };
    this.operations.set(op.id, op);
    return op;
  }

  getOperation(id: string): DpOperation {
    const op = this.operations.get(id);
    if (!op) throw new TwinError(404, 'OperationNotFound', `Operation '${id}' was not found.`);
    return op;
  }

  /** Failure injection: the next `count` backups of a cluster fail with this error. */
  failNext(key: string, count: number, code: string, message: string): void {
    this.failures.set(key, { count, code, message });
  }

  clearFailures(): void {
    this.failures.clear();
  }

  pendingFailures(): Record<string, number> {
    return Object.fromEntries([...this.failures].map(([k, v]) => [k, v.count]));
  }
}
