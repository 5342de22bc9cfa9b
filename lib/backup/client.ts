import 'server-only';
import type { Client } from '@azure-rest/core-client';
import { getAzureClients } from '../azure';
import { getConfig } from '../config';
import { tierOf, type Tier } from '../domain/backup';
import { AppError, fromAzureError, translateAzureError } from '../errors';

/**
 * The Data Protection REST API (Azure Backup for AKS) through the REST client
 * of lib/azure: `@azure/arm-dataprotection` is not on npm. Same
 * code for the twin and Azure; answers are mapped once into plain types here.
 */
export const DATA_PROTECTION_API_VERSION = '2026-06-01';

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
  /** The answer's `Date`: the target's time (the twin's clock runs ahead of real time). */
  asOf: number;
}

function client(): Client {
  return getAzureClients().dataProtection;
}

function failure(status: number, body: unknown): AppError {
  const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return fromAzureError({ name: 'RestError', message: e?.message ?? `Data Protection answered ${status}`, statusCode: status, code: e?.code });
}

/**
 * Absolute URLs (next pages, LRO status) are followed only on the configured
 * endpoint's origin, so the bearer token never goes anywhere else.
 */
function checkOrigin(url: string): void {
  if (new URL(url).origin !== new URL(getConfig().armEndpoint).origin) {
    throw new AppError('upstream', `Data Protection pointed at another host (${new URL(url).host}); not followed.`);
  }
}

async function call(method: 'GET' | 'POST', pathOrUrl: string, body?: unknown): Promise<Answer> {
  const absolute = /^https?:\/\//.test(pathOrUrl);
  if (absolute) checkOrigin(pathOrUrl);
  const resource = client().pathUnchecked(pathOrUrl);
  const options = absolute ? {} : { queryParameters: { 'api-version': DATA_PROTECTION_API_VERSION } };
  let response;
  try {
    response = method === 'GET' ? await resource.get(options) : await resource.post({ ...options, body: body ?? {} });
  } catch (err) {
    throw translateAzureError(err);
  }
  const status = Number(response.status);
  if (status >= 400) throw failure(status, response.body);
  const date = Date.parse(String(response.headers.date ?? ''));
  return { status, headers: response.headers as Record<string, string | undefined>, body: response.body, asOf: Number.isNaN(date) ? Date.now() : date };
}

async function list<T>(path: string): Promise<{ items: T[]; asOf: number }> {
  const items: T[] = [];
  let next: string | undefined = path;
  let asOf = Date.now();
  for (let page = 0; next && page < 50; page++) {
    const a = await call('GET', next);
    asOf = a.asOf;
    const b = a.body as { value?: T[]; nextLink?: string | null };
    items.push(...(b.value ?? []));
    next = b.nextLink ?? undefined;
  }
  return { items, asOf };
}

// ---- raw shapes (the parts read) ----
interface RawVault {
  id: string;
  name: string;
  location?: string;
  properties?: {
    storageSettings?: { type?: string; datastoreType?: string }[];
    featureSettings?: { crossRegionRestoreSettings?: { state?: string } };
    securitySettings?: { softDeleteSettings?: { state?: string; retentionDurationInDays?: number } };
  };
}
interface RawPolicy {
  id: string;
  name: string;
  properties?: {
    datasourceTypes?: string[];
    policyRules?: {
      name: string;
      objectType: string;
      isDefault?: boolean;
      dataStore?: { dataStoreType?: string };
      trigger?: { schedule?: { repeatingTimeIntervals?: string[]; timeZone?: string } };
      lifecycles?: { deleteAfter?: { duration?: string }; sourceDataStore?: { dataStoreType?: string }; targetDataStoreCopySettings?: { dataStore?: { dataStoreType?: string } }[] }[];
    }[];
  };
}
interface RawInstance {
  id: string;
  name: string;
  properties?: {
    dataSourceInfo?: { resourceID?: string; resourceName?: string };
    policyInfo?: { policyId?: string };
    protectionStatus?: { status?: string; errorDetails?: { code?: string; message?: string } };
    currentProtectionState?: string;
  };
}
interface RawJob {
  id: string;
  name: string;
  properties?: {
    backupInstanceId?: string;
    dataSourceId?: string;
    dataSourceName?: string;
    operation?: string;
    operationCategory?: string;
    isUserTriggered?: boolean;
    status?: string;
    startTime?: string;
    endTime?: string;
    duration?: string;
    errorDetails?: { code?: string; message?: string }[];
  };
}
interface RawRecoveryPoint {
  id: string;
  name: string;
  properties?: {
    recoveryPointTime?: string;
    expiryTime?: string;
    recoveryPointState?: string;
    recoveryPointDataStoresDetails?: { type?: string; expiryTime?: string }[];
  };
}

// ---- mapped types ----
export interface VaultInfo {
  id: string;
  name: string;
  location: string;
  /** Of the vault tier: ZoneRedundant / GeoRedundant / LocallyRedundant. */
  redundancy: string;
  crossRegionRestore: boolean;
  softDelete?: { state: string; days?: number };
}

export interface PolicyInfo {
  id: string;
  name: string;
  /** The backup rule "back up now" uses. */
  backupRuleName?: string;
  schedule: string[];
  timeZone?: string;
  retention: { tier: Tier | 'other'; store: string; deleteAfter: string; copiesTo: string[] }[];
}

export interface InstanceInfo {
  id: string;
  name: string;
  clusterResourceId: string;
  clusterName: string;
  policyId?: string;
  protectionStatus: string;
  protectionError?: { code?: string; message?: string };
}

export type JobState = 'running' | 'succeeded' | 'failed' | 'other';

export interface JobInfo {
  id: string;
  instanceId?: string;
  clusterResourceId?: string;
  clusterName?: string;
  operation: string;
  category: 'Backup' | 'Restore' | string;
  userTriggered: boolean;
  status: string;
  state: JobState;
  startTime: number;
  endTime?: number;
  errors: { code?: string; message?: string }[];
}

export interface RecoveryPointInfo {
  id: string;
  time: number;
  expiry?: number;
  tiers: Tier[];
  state: string;
}

const ts = (s: string | undefined) => {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? undefined : t;
};

export const resourceIdEquals = (a: string | undefined, b: string | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

function toVault(v: RawVault): VaultInfo {
  const vaultStore = v.properties?.storageSettings?.find((s) => s.datastoreType === 'VaultStore') ?? v.properties?.storageSettings?.[0];
  const soft = v.properties?.securitySettings?.softDeleteSettings;
  return {
    id: v.id,
    name: v.name,
    location: v.location ?? '',
    redundancy: vaultStore?.type ?? 'Unknown',
    crossRegionRestore: v.properties?.featureSettings?.crossRegionRestoreSettings?.state === 'Enabled',
    softDelete: soft?.state ? { state: soft.state, days: soft.retentionDurationInDays } : undefined,
  };
}

function toPolicy(p: RawPolicy): PolicyInfo {
  const rules = p.properties?.policyRules ?? [];
  const backup = rules.find((r) => r.objectType === 'AzureBackupRule');
  return {
    id: p.id,
    name: p.name,
    backupRuleName: backup?.name,
    schedule: backup?.trigger?.schedule?.repeatingTimeIntervals ?? [],
    timeZone: backup?.trigger?.schedule?.timeZone,
    retention: rules
      .filter((r) => r.objectType === 'AzureRetentionRule')
      .flatMap((r) => r.lifecycles ?? [])
      .map((l) => {
        const store = l.sourceDataStore?.dataStoreType ?? 'Unknown';
        return {
          store,
          tier: tierOf(store) ?? 'other',
          deleteAfter: l.deleteAfter?.duration ?? '',
          copiesTo: (l.targetDataStoreCopySettings ?? []).map((c) => c.dataStore?.dataStoreType ?? '').filter(Boolean),
        };
      }),
  };
}

function toInstance(i: RawInstance): InstanceInfo {
  const ps = i.properties?.protectionStatus;
  return {
    id: i.id,
    name: i.name,
    clusterResourceId: i.properties?.dataSourceInfo?.resourceID ?? '',
    clusterName: i.properties?.dataSourceInfo?.resourceName ?? '',
    policyId: i.properties?.policyInfo?.policyId,
    protectionStatus: ps?.status ?? i.properties?.currentProtectionState ?? 'Unknown',
    protectionError: ps?.errorDetails,
  };
}

function jobState(status: string | undefined): JobState {
  switch ((status ?? '').toLowerCase()) {
    case 'started':
    case 'inprogress':
    case 'cancelling':
      return 'running';
    case 'succeeded':
    case 'completed':
    case 'completedwithwarnings':
      return 'succeeded';
    case 'failed':
      return 'failed';
    default:
      return 'other';
  }
}

function toJob(j: RawJob): JobInfo {
  const p = j.properties ?? {};
  return {
    id: j.name,
    instanceId: p.backupInstanceId,
    clusterResourceId: p.dataSourceId,
    clusterName: p.dataSourceName,
    operation: p.operation ?? '',
    category: p.operationCategory ?? '',
    userTriggered: Boolean(p.isUserTriggered),
    status: p.status ?? 'Unknown',
    state: jobState(p.status),
    startTime: ts(p.startTime) ?? 0,
    endTime: ts(p.endTime),
    errors: p.errorDetails ?? [],
  };
}

function toRecoveryPoint(r: RawRecoveryPoint): RecoveryPointInfo {
  const stores = r.properties?.recoveryPointDataStoresDetails ?? [];
  const tiers = [...new Set(stores.map((s) => tierOf(s.type ?? '')).filter((t): t is Tier => t !== undefined))];
  const expiries = stores.map((s) => ts(s.expiryTime)).filter((t): t is number => t !== undefined);
  return {
    id: r.name,
    time: ts(r.properties?.recoveryPointTime) ?? 0,
    expiry: ts(r.properties?.expiryTime) ?? (expiries.length ? Math.max(...expiries) : undefined),
    tiers,
    state: r.properties?.recoveryPointState ?? 'Unknown',
  };
}

const vaultsPath = (rg: string) =>
  `/subscriptions/${getConfig().subscriptionId}/resourceGroups/${encodeURIComponent(rg)}/providers/Microsoft.DataProtection/backupVaults`;

export async function listVaults(resourceGroup: string): Promise<{ vaults: VaultInfo[]; asOf: number }> {
  const r = await list<RawVault>(vaultsPath(resourceGroup));
  return { vaults: r.items.map(toVault), asOf: r.asOf };
}

export async function listPolicies(vaultId: string): Promise<PolicyInfo[]> {
  return (await list<RawPolicy>(`${vaultId}/backupPolicies`)).items.map(toPolicy);
}

export async function listBackupInstances(vaultId: string): Promise<InstanceInfo[]> {
  return (await list<RawInstance>(`${vaultId}/backupInstances`)).items.map(toInstance);
}

export async function listJobs(vaultId: string): Promise<{ jobs: JobInfo[]; asOf: number }> {
  const r = await list<RawJob>(`${vaultId}/backupJobs`);
  return { jobs: r.items.map(toJob), asOf: r.asOf };
}

export async function listRecoveryPoints(instanceId: string): Promise<RecoveryPointInfo[]> {
  return (await list<RawRecoveryPoint>(`${instanceId}/recoveryPoints`)).items.map(toRecoveryPoint).sort((a, b) => b.time - a.time);
}

export async function getJob(vaultId: string, jobId: string): Promise<JobInfo> {
  return toJob((await call('GET', `${vaultId}/backupJobs/${encodeURIComponent(jobId)}`)).body as RawJob);
}

/** An accepted Data Protection long-running operation (202 + Azure-AsyncOperation / Location). */
export interface PendingOperation {
  statusUrl?: string;
  resultUrl?: string;
  retryAfterMs?: number;
  /** Set when the service answered 200 with the job at once. */
  jobId?: string;
}

function retryAfterMs(headers: Record<string, string | undefined>): number | undefined {
  const v = headers['retry-after'];
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const d = Date.parse(v);
  return Number.isNaN(d) ? undefined : Math.max(0, d - Date.now());
}

function accepted(a: Answer): PendingOperation {
  if (a.status === 200) return { jobId: (a.body as { jobId?: string } | undefined)?.jobId };
  return { statusUrl: a.headers['azure-asyncoperation'], resultUrl: a.headers.location, retryAfterMs: retryAfterMs(a.headers) };
}

/** BackupInstances_AdhocBackup with the policy's backup rule. */
export async function beginAdhocBackup(instanceId: string, ruleName: string): Promise<PendingOperation> {
  return accepted(await call('POST', `${instanceId}/backup`, { backupRuleOptions: { ruleName, triggerOption: { retentionTagOverride: 'Default' } } }));
}

/** BackupInstances_Restore of an AKS recovery point (operational tier) into a cluster. */
export async function beginRestore(instanceId: string, recoveryPointId: string, target: { clusterResourceId: string; location: string }): Promise<PendingOperation> {
  return accepted(
    await call('POST', `${instanceId}/restore`, {
      objectType: 'AzureBackupRecoveryPointBasedRestoreRequest',
      recoveryPointId,
      sourceDataStoreType: 'OperationalStore',
      restoreTargetInfo: {
        objectType: 'ItemLevelRestoreTargetInfo',
        recoveryOption: 'FailIfExists',
        restoreLocation: target.location,
        datasourceInfo: {
          datasourceType: 'Microsoft.ContainerService/managedClusters',
          objectType: 'Datasource',
          resourceID: target.clusterResourceId,
          resourceType: 'Microsoft.ContainerService/managedclusters',
          resourceLocation: target.location,
        },
        restoreCriteria: [
          {
            objectType: 'KubernetesClusterRestoreCriteria',
            includeClusterScopeResources: true,
            persistentVolumeRestoreMode: 'RestoreWithVolumeData',
            conflictPolicy: 'Skip',
          },
        ],
      },
    }),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Follows an accepted operation to its end, honouring Retry-After (the
 * configured poll interval when absent), and returns the job it started.
 */
export async function pollOperation(op: PendingOperation, options: { intervalMs?: number; timeoutMs?: number } = {}): Promise<{ jobId: string }> {
  if (op.jobId) return { jobId: op.jobId };
  const interval = options.intervalMs ?? getAzureClients().pollIntervalMs;
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let wait = Math.max(op.retryAfterMs ?? interval, interval);
  for (;;) {
    await sleep(wait);
    if (op.statusUrl) {
      const a = await call('GET', op.statusUrl);
      const b = a.body as { status?: string; error?: { code?: string; message?: string }; properties?: { jobId?: string } };
      const status = (b.status ?? '').toLowerCase();
      if (status === 'succeeded') {
        if (b.properties?.jobId) return { jobId: b.properties.jobId };
        if (!op.resultUrl) throw new AppError('upstream', 'Data Protection finished the operation without naming its job.');
        const r = await call('GET', op.resultUrl);
        const jobId = (r.body as { jobId?: string } | undefined)?.jobId;
        if (!jobId) throw new AppError('upstream', 'Data Protection finished the operation without naming its job.');
        return { jobId };
      }
      if (status === 'failed' || status === 'canceled' || status === 'cancelled') {
        throw new AppError('refused', b.error?.message ?? `Data Protection reports the operation ${status}.`, b.error?.code);
      }
      wait = Math.max(retryAfterMs(a.headers) ?? interval, interval);
    } else if (op.resultUrl) {
      const a = await call('GET', op.resultUrl);
      if (a.status === 200) {
        const jobId = (a.body as { jobId?: string } | undefined)?.jobId;
        if (jobId) return { jobId };
        throw new AppError('upstream', 'Data Protection finished the operation without naming its job.');
      }
      if (a.headers.location) op = { ...op, resultUrl: a.headers.location };
      wait = Math.max(retryAfterMs(a.headers) ?? interval, interval);
    } else {
      throw new AppError('upstream', 'Data Protection accepted the request without a way to follow it.');
    }
    if (Date.now() > deadline) throw new AppError('upstream', 'Data Protection did not finish the operation in time.');
  }
}
