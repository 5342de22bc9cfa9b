import 'server-only';
import { z } from 'zod';
import { sharedReads, type SharedReadResult } from '../cache/shared-read';
import { CLUSTER_KEYS, getConfig, type ClusterKey, type ClusterRef, clusterRef } from '../config';
import { drTable, nextScheduledRun, rpoStatus, type DrCluster, type DrRow, type RpoVerdict, type Tier } from '../domain/backup';
import { AppError, toUserError, type UserError } from '../errors';
import { getClusterTile, type ClusterTile } from '../topology';
import type { Actor } from '../auth';
import {
  beginAdhocBackup,
  beginRestore,
  getJob,
  listBackupInstances,
  listJobs,
  listPolicies,
  listRecoveryPoints,
  listVaults,
  pollOperation,
  resourceIdEquals,
  type InstanceInfo,
  type JobInfo,
  type PendingOperation,
  type PolicyInfo,
  type RecoveryPointInfo,
  type VaultInfo,
} from './client';

export type { InstanceInfo, JobInfo, PendingOperation, PolicyInfo, RecoveryPointInfo, VaultInfo } from './client';

/**
 * Backup state: the vault, each cluster's protection,
 * jobs and recovery points, the RPO verdict and the DR table, all
 * read through the shared cache; and "back up now" as Data Protection's own
 * long-running operation, and "restore latest" likewise. The vault is the record of every job, so nothing
 * is kept in the database: after a restart the job is still in its list.
 */
export const backupInput = z.object({ cluster: z.enum(CLUSTER_KEYS) });

/** A recovery point's name as Data Protection gives it (a GUID or hex string); bounded so a bad id never reaches a URL. */
export const restoreInput = z.object({
  cluster: z.enum(CLUSTER_KEYS),
  recoveryPointId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dashes only')
    .optional(),
});
export type RestoreInput = z.infer<typeof restoreInput>;

/** `bv-k8s-demo` in the common resource group (infra/modules/backup: bv-${prefix}). */
export const VAULT_NAME = 'bv-k8s-demo';
const KEY = 'backup:';

/** ok: fresh; stale: the last good answer, the refresh failed; failed: no answer at all. */
export interface Sourced<T> {
  status: 'ok' | 'stale' | 'failed';
  value?: T;
  error?: UserError;
  fetchedAt?: number;
}

function sourced<T>(r: SharedReadResult<T>): Sourced<T> {
  if (!r.error) return { status: 'ok', value: r.value, fetchedAt: r.fetchedAt };
  return { status: r.value !== undefined ? 'stale' : 'failed', value: r.value, fetchedAt: r.fetchedAt, error: toUserError(r.error) };
}

const failedFrom = <T>(why: Sourced<unknown>): Sourced<T> => ({ status: 'failed', error: why.error ?? { kind: 'upstream', message: 'not read' } });

export interface PendingBackup {
  requestedAt: number;
  actor: string;
  jobId?: string;
  error?: UserError;
  settledAt?: number;
}

/** The recovery point a restore uses, and the tier (data store) it is read from. */
export interface RestorePoint {
  id: string;
  time: number;
  tier: Tier;
}

export interface PendingRestore {
  requestedAt: number;
  actor: string;
  recoveryPoint: RestorePoint;
  jobId?: string;
  error?: UserError;
  settledAt?: number;
}

export interface ClusterBackup {
  key: ClusterKey;
  name: string;
  resourceGroup: string;
  power: 'Running' | 'Stopped' | 'Unknown';
  instance: Sourced<InstanceInfo | null>;
  jobs: Sourced<JobInfo[]>;
  recoveryPoints: Sourced<RecoveryPointInfo[]>;
  /** Undefined when the recovery points could not be read. */
  rpo?: RpoVerdict;
  nextRunAt?: number;
  pending?: PendingBackup;
  /** The newest Completed recovery point a restore in place can use (undefined when none or unread). */
  restorable?: RestorePoint;
  restore?: PendingRestore;
}

export interface BackupPage {
  target: 'twin' | 'azure';
  /** The target's time (Data Protection's `Date`): the twin's clock runs ahead of real time. */
  now: number;
  vault: Sourced<VaultInfo>;
  policy: Sourced<PolicyInfo | null>;
  clusters: ClusterBackup[];
  dr: DrRow[];
}

// ---- "back up now" requests in flight, per process ----
const PENDING = Symbol.for('aks-demo.backup-pending');
function pendingMap(): Map<ClusterKey, PendingBackup> {
  const g = globalThis as { [PENDING]?: Map<ClusterKey, PendingBackup> };
  g[PENDING] ??= new Map();
  return g[PENDING];
}

// ---- "restore latest" requests in flight, per process ----
const RESTORES = Symbol.for('aks-demo.restore-pending');
function restoreMap(): Map<ClusterKey, PendingRestore> {
  const g = globalThis as { [RESTORES]?: Map<ClusterKey, PendingRestore> };
  g[RESTORES] ??= new Map();
  return g[RESTORES];
}

// ---- reads ----
async function readVault() {
  const cfg = getConfig();
  return sharedReads().read(`${KEY}vault`, cfg.readCacheTtlMs, async () => {
    const { vaults, asOf } = await listVaults(cfg.commonResourceGroup);
    const vault = vaults.find((v) => v.name.toLowerCase() === VAULT_NAME) ?? (vaults.length === 1 ? vaults[0] : undefined);
    if (!vault) {
      throw new AppError('not_found', vaults.length ? `No vault named ${VAULT_NAME} among ${vaults.length} in ${cfg.commonResourceGroup}.` : `No backup vault in ${cfg.commonResourceGroup}.`);
    }
    return { vault, asOf };
  });
}

const ttl = () => getConfig().readCacheTtlMs;

function readInstances(vaultId: string) {
  return sharedReads().read(`${KEY}instances:${vaultId.toLowerCase()}`, ttl(), () => listBackupInstances(vaultId));
}
function readPolicies(vaultId: string) {
  return sharedReads().read(`${KEY}policies:${vaultId.toLowerCase()}`, ttl(), () => listPolicies(vaultId));
}
function readJobs(vaultId: string) {
  return sharedReads().read(`${KEY}jobs:${vaultId.toLowerCase()}`, ttl(), () => listJobs(vaultId));
}
const readVaultContents = (vaultId: string) => Promise.all([readInstances(vaultId), readPolicies(vaultId), readJobs(vaultId)]);
function readPoints(instanceId: string) {
  return sharedReads().read(`${KEY}rp:${instanceId.toLowerCase()}`, ttl(), () => listRecoveryPoints(instanceId));
}

function clusterResourceSuffix(ref: ClusterRef): string {
  return `/resourcegroups/${ref.resourceGroup.toLowerCase()}/providers/microsoft.containerservice/managedclusters/${ref.name.toLowerCase()}`;
}

function instanceOf(instances: InstanceInfo[], ref: ClusterRef): InstanceInfo | null {
  return instances.find((i) => i.clusterResourceId.toLowerCase().endsWith(clusterResourceSuffix(ref))) ?? null;
}

/** A point a restore in place can use: complete, and in the operational tier (the store beginRestore reads). */
const restorable = (p: RecoveryPointInfo) => p.state === 'Completed' && p.tiers.includes('operational');
const restorePoint = (p: RecoveryPointInfo): RestorePoint => ({ id: p.id, time: p.time, tier: 'operational' });

function jobsOf(jobs: JobInfo[], ref: ClusterRef, instance: InstanceInfo | null | undefined): JobInfo[] {
  return jobs
    .filter((j) =>
      instance
        ? resourceIdEquals(j.instanceId, instance.id) || resourceIdEquals(j.clusterResourceId, instance.clusterResourceId)
        : (j.clusterResourceId ?? '').toLowerCase().endsWith(clusterResourceSuffix(ref)) || j.clusterName === ref.name,
    )
    .sort((a, b) => b.startTime - a.startTime);
}

/** The target's time now: the answer's Date plus the time since (the twin's clock is the wall clock, as Azure's is). */
function targetNow(asOf: number | undefined, fetchedAt: number | undefined): number {
  if (asOf === undefined || fetchedAt === undefined) return Date.now();
  return asOf + (Date.now() - fetchedAt);
}

const powerOf = (tile: ClusterTile): ClusterBackup['power'] =>
  tile.view?.powerState === 'Running' || tile.view?.powerState === 'Stopped' ? tile.view.powerState : 'Unknown';

/** The backup page's one query. */
export async function getBackupPage(): Promise<BackupPage> {
  const cfg = getConfig();
  // The vault's id follows from its configured name: its instances, policies and jobs are read together with
  // the vault itself (one round), and again by the id the vault list gives only if that differs.
  const expectedId = `/subscriptions/${cfg.subscriptionId}/resourceGroups/${cfg.commonResourceGroup}/providers/Microsoft.DataProtection/backupVaults/${VAULT_NAME}`;
  const early = readVaultContents(expectedId);
  // Likewise each cluster's backup instance is named bi-<cluster> (infra/modules/backup): its recovery points are
  // read in the same round, and used only when the instance listed has that id.
  const instanceIds = cfg.clusters.map((ref) => `${expectedId}/backupInstances/bi-${ref.key}`);
  const earlyPoints = new Map(instanceIds.map((id) => [id.toLowerCase(), readPoints(id)]));
  const [vaultRead, tiles] = await Promise.all([readVault(), Promise.all(CLUSTER_KEYS.map((k) => getClusterTile(k)))]);
  const vaultSrc = sourced(vaultRead);
  const vault = vaultSrc.value?.vault;
  const vaultView: Sourced<VaultInfo> = { ...vaultSrc, value: vault };

  let instancesSrc: Sourced<InstanceInfo[]> = failedFrom(vaultSrc);
  let policiesSrc: Sourced<PolicyInfo[]> = failedFrom(vaultSrc);
  let jobsSrc: Sourced<{ jobs: JobInfo[]; asOf: number }> = failedFrom(vaultSrc);
  if (vault) {
    const [i, p, j] = resourceIdEquals(vault.id, expectedId) ? await early : await readVaultContents(vault.id);
    [instancesSrc, policiesSrc, jobsSrc] = [sourced(i), sourced(p), sourced(j)];
  }

  const now = jobsSrc.value ? targetNow(jobsSrc.value.asOf, jobsSrc.fetchedAt) : targetNow(vaultSrc.value?.asOf, vaultSrc.fetchedAt);
  const policyId = instancesSrc.value?.find((i) => i.policyId)?.policyId;
  const policy = policiesSrc.value ? (policiesSrc.value.find((p) => resourceIdEquals(p.id, policyId)) ?? policiesSrc.value[0] ?? null) : undefined;
  const policySrc: Sourced<PolicyInfo | null> = { ...policiesSrc, value: policy };

  const clusters = await Promise.all(
    cfg.clusters.map(async (ref, i): Promise<ClusterBackup> => {
      const tile = tiles[i];
      const instance = instancesSrc.value ? instanceOf(instancesSrc.value, ref) : undefined;
      const instanceSrc: Sourced<InstanceInfo | null> = { ...instancesSrc, value: instance };
      const points: Sourced<RecoveryPointInfo[]> = instance
        ? sourced(await (earlyPoints.get(instance.id.toLowerCase()) ?? readPoints(instance.id)))
        : instance === null
          ? { status: 'ok', value: [] }
          : failedFrom(instancesSrc);
      const jobs: Sourced<JobInfo[]> = { ...jobsSrc, value: jobsSrc.value ? jobsOf(jobsSrc.value.jobs, ref, instance) : undefined };
      const power = powerOf(tile);
      const nextRunAt = policy && instance ? nextScheduledRun(policy.schedule, now) : undefined;
      const lastGood = points.value?.find((p) => p.state === 'Completed');
      const lastFinishedBackup = jobs.value?.find((j) => j.category === 'Backup' && j.state !== 'running' && j.state !== 'other');
      const rpo = points.value
        ? rpoStatus({ now, lastGoodAt: lastGood?.time, nextRunAt, lastAttemptFailed: lastFinishedBackup?.state === 'failed', clusterStopped: power === 'Stopped' })
        : undefined;
      const newestRestorable = points.value?.find(restorable);
      return {
        key: ref.key,
        name: ref.name,
        resourceGroup: ref.resourceGroup,
        power,
        instance: instanceSrc,
        jobs,
        recoveryPoints: points,
        rpo,
        nextRunAt,
        pending: pendingMap().get(ref.key),
        restorable: newestRestorable && restorePoint(newestRestorable),
        restore: restoreMap().get(ref.key),
      };
    }),
  );

  const drClusters: DrCluster[] = clusters.map((c, i) => {
    const view = tiles[i].view;
    const newest = c.recoveryPoints.value?.find((p) => p.state === 'Completed' && (p.expiry === undefined || p.expiry > now));
    return {
      key: c.key,
      name: c.name,
      power: c.power,
      pools: view?.pools.map((p) => ({
        mode: p.mode,
        priority: p.priority,
        zones: p.zones,
        replacesNodes: p.source === 'nodeAutoProvisioning' || p.autoscale !== null,
      })),
      recoveryPoint: c.recoveryPoints.value === undefined ? null : newest ? { time: newest.time, tiers: newest.tiers as Tier[] } : undefined,
    };
  });

  return {
    target: cfg.target,
    now,
    vault: vaultView,
    policy: policySrc,
    clusters,
    dr: drTable({ clusters: drClusters, vault: vault ? { redundancy: vault.redundancy, crossRegionRestore: vault.crossRegionRestore } : undefined }),
  };
}

export function invalidateBackup(): void {
  sharedReads().invalidate(KEY);
}

/** A command's reads: it acts on what the service says, or not at all (commands invalidate the cache first). */
async function requireVault(): Promise<VaultInfo> {
  const vaultRead = await readVault();
  if (!vaultRead.value || vaultRead.error) throw vaultRead.error ?? new AppError('upstream', 'The backup vault could not be read.');
  return vaultRead.value.vault;
}

function requireInstance(instances: SharedReadResult<InstanceInfo[]>, vault: VaultInfo, ref: ClusterRef): InstanceInfo {
  if (instances.error || !instances.value) throw instances.error ?? new AppError('upstream', 'The backup instances could not be read.');
  const instance = instanceOf(instances.value, ref);
  if (!instance) throw new AppError('not_found', `${ref.name} has no backup instance in ${vault.name}.`);
  return instance;
}

/**
 * Follows an accepted long-running operation in the background until it names
 * its job (or fails), recording that on the request the page shows.
 */
function follow(op: PendingOperation, entry: { jobId?: string; error?: UserError; settledAt?: number }): void {
  invalidateBackup();
  void pollOperation(op)
    .then(({ jobId }) => {
      entry.jobId = jobId;
    })
    .catch((err: unknown) => {
      entry.error = toUserError(err);
    })
    .finally(() => {
      entry.settledAt = Date.now();
      invalidateBackup();
    });
}

export interface BackupAccepted {
  cluster: ClusterKey;
  outcome: 'accepted';
  jobId?: string;
}

/**
 * "Back up now": BackupInstances_AdhocBackup with the policy's backup rule.
 * Returns once Data Protection has accepted; the operation is followed in the
 * background until it names its job. A stopped cluster is not refused here:
 * Data Protection takes the request and its job fails, as it does in Azure.
 */
export async function backUpNow(actor: Actor, key: ClusterKey): Promise<BackupAccepted> {
  const ref = clusterRef(key);
  invalidateBackup();
  const vault = await requireVault();
  const [instances, policies] = await Promise.all([readInstances(vault.id), readPolicies(vault.id)]);
  const instance = requireInstance(instances, vault, ref);
  const policy = policies.value?.find((p) => resourceIdEquals(p.id, instance.policyId));
  if (!policy?.backupRuleName) throw policies.error ?? new AppError('not_found', `The backup policy of ${instance.name} has no backup rule.`);

  const op = await beginAdhocBackup(instance.id, policy.backupRuleName);
  const entry: PendingBackup = { requestedAt: Date.now(), actor: actor.name, jobId: op.jobId };
  pendingMap().set(key, entry);
  follow(op, entry);
  return { cluster: key, outcome: 'accepted', jobId: op.jobId };
}

export interface RestoreAccepted {
  cluster: ClusterKey;
  outcome: 'accepted';
  /** Set when the service named the job in its first answer; otherwise it shows on the page once the operation ends. */
  jobId?: string;
  /** The accepted long-running operation, followed in the background until it names its job. */
  operation: PendingOperation;
  recoveryPoint: RestorePoint;
  message: string;
}

/** The recovery point asked for (it must be this instance's), or the newest one a restore can use. */
function chooseRestorePoint(points: RecoveryPointInfo[], instance: InstanceInfo, recoveryPointId: string | undefined): RecoveryPointInfo {
  if (recoveryPointId === undefined) {
    const newest = points.find(restorable);
    if (!newest) throw new AppError('not_found', `${instance.clusterName || instance.name} has no completed recovery point in the operational tier to restore from.`);
    return newest;
  }
  const point = points.find((p) => p.id.toLowerCase() === recoveryPointId.toLowerCase());
  if (!point) throw new AppError('not_found', `Recovery point ${recoveryPointId} is not one of the ${points.length} recovery points of ${instance.name}.`);
  if (!restorable(point)) {
    throw new AppError('refused', `Recovery point ${point.id} of ${instance.name} cannot be restored in place: it is ${point.state}, in the ${point.tiers.join(' + ') || 'unknown'} tier (a restore reads the operational tier).`);
  }
  return point;
}

/**
 * "Restore latest": BackupInstances_Restore of the cluster's newest usable
 * recovery point (or the one named) into the same cluster, in place: resources
 * that still exist are skipped, missing ones are recreated. Returns once Data
 * Protection has accepted; the operation is followed in the background until
 * it names its Restore job, whose progress the jobs list and
 * getRestoreStatus show. A bad point id is refused before anything is sent.
 */
export async function restoreLatest(input: RestoreInput, actor?: Pick<Actor, 'name'>): Promise<RestoreAccepted> {
  // Callers other than the action (the presenter) are held to the same bounds.
  const parsed = restoreInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation', parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  const { cluster: key, recoveryPointId } = parsed.data;
  const ref = clusterRef(key);
  invalidateBackup();
  const vault = await requireVault();
  const instance = requireInstance(await readInstances(vault.id), vault, ref);
  const points = await readPoints(instance.id);
  if (points.error || !points.value) throw points.error ?? new AppError('upstream', `The recovery points of ${instance.name} could not be read.`);
  const point = restorePoint(chooseRestorePoint(points.value, instance, recoveryPointId));

  const operation = await beginRestore(instance.id, point.id, { clusterResourceId: instance.clusterResourceId, location: getConfig().location });
  const entry: PendingRestore = { requestedAt: Date.now(), actor: actor?.name ?? 'the system', recoveryPoint: point, jobId: operation.jobId };
  restoreMap().set(key, entry);
  follow(operation, entry);
  return {
    cluster: key,
    outcome: 'accepted',
    jobId: operation.jobId,
    operation,
    recoveryPoint: point,
    message: `Restore of ${ref.name} in place from recovery point ${point.id} accepted; Data Protection runs it as a Restore job.`,
  };
}

export interface RestoreStatus {
  cluster: ClusterKey;
  /** none: no restore known; requested: accepted, its job not yet named; then the job's state. */
  state: 'none' | 'requested' | JobInfo['state'];
  restore?: PendingRestore;
  job?: JobInfo;
  message: string;
}

/**
 * Where the cluster's latest restore is: the one requested from this process
 * (its job read directly, uncached, so a caller polling it sees each change),
 * else the newest Restore job in the vault's list.
 */
export async function getRestoreStatus(key: ClusterKey): Promise<RestoreStatus> {
  const ref = clusterRef(key);
  const restore = restoreMap().get(key);
  if (restore?.error) return { cluster: key, state: 'failed', restore, message: `The restore request failed: ${restore.error.message}` };
  if (restore && !restore.jobId) return { cluster: key, state: 'requested', restore, message: 'Restore accepted; waiting for Data Protection to name its job.' };
  const vault = await requireVault();
  let job: JobInfo | undefined;
  if (restore?.jobId) {
    job = await getJob(vault.id, restore.jobId);
  } else {
    const jobs = await readJobs(vault.id);
    if (jobs.error || !jobs.value) throw jobs.error ?? new AppError('upstream', 'The backup jobs could not be read.');
    const instances = await readInstances(vault.id);
    job = jobsOf(jobs.value.jobs, ref, instances.value ? instanceOf(instances.value, ref) : undefined).find((j) => j.category === 'Restore');
  }
  if (!job) return { cluster: key, state: 'none', message: `No restore of ${ref.name} is known.` };
  const why = job.errors.map((e) => e.message ?? e.code).filter(Boolean).join('; ');
  return { cluster: key, state: job.state, restore, job, message: `Restore job ${job.id} of ${ref.name}: ${job.status}${why ? ` (${why})` : ''}.` };
}
