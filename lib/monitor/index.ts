import 'server-only';
import { getAzureClients } from '../azure';
import { sharedReads, type SharedReadResult } from '../cache/shared-read';
import { CLUSTER_KEYS, clusterRef, getConfig, type ClusterKey } from '../config';
import { AppError, isRestError, toUserError, translateAzureError, type UserError } from '../errors';
import { informers } from '../k8s/informer';
import { nodeFacts } from '../zones/facts';
import { clusterQueries, type NamedQueryName } from '../domain/kql';
import { minutes, nodeConditionRequest, nodeMetricsRequest, pendingPodsRequest, podReadyRequest, timeWindow, toClusterMetrics, zoneCpu, type ClusterMetrics, type MetricsRequest } from './metrics';

/**
 * Azure Monitor beside the cluster APIs: metrics (the regional batch endpoint),
 * alert rules and fired alerts, Container Insights logs and the activity log.
 * Every read goes through the shared cache (one upstream call per refresh,
 * whoever is looking), never waits past the read deadline (the last answer is
 * shown with its age), and honours Azure Monitor's throttling: after a 429 the
 * API is not asked again before its Retry-After.
 */

export * from '../domain/kql';
export { CLUSTER_METRICS, zoneCpu, type ClusterMetrics } from './metrics';

export interface Read<T> {
  status: 'ok' | 'stale' | 'failed';
  value?: T;
  fetchedAt?: number;
  error?: UserError;
}

type Api = 'metrics' | 'logs' | 'rules' | 'alerts' | 'activity';
const KEY = Symbol.for('aks-demo.monitor-backoff');
type Holder = { [KEY]?: Map<Api, number> };

/** Until when each Monitor API asked us to wait (Retry-After), shared by the process. */
function backoff(): Map<Api, number> {
  const g = globalThis as Holder;
  g[KEY] ??= new Map();
  return g[KEY];
}

/** Calls an API unless it is still in its Retry-After; a 429 records how long to stay away. */
async function guarded<T>(api: Api, call: () => Promise<T>): Promise<T> {
  const until = backoff().get(api) ?? 0;
  if (Date.now() < until) {
    throw new AppError('throttled', `Azure Monitor asked to wait: retrying after ${new Date(until).toISOString().slice(11, 19)} UTC.`, 'RetryAfter');
  }
  try {
    return await call();
  } catch (err) {
    if (isRestError(err) && err.statusCode === 429) {
      const raw = err.response?.headers?.get('retry-after');
      let ms = Number(raw) * 1000;
      if (!Number.isFinite(ms)) ms = Date.parse(raw ?? '') - Date.now();
      backoff().set(api, Date.now() + (Number.isFinite(ms) && ms > 0 ? Math.min(ms, 3600_000) : 60_000));
    }
    throw translateAzureError(err);
  }
}

function toRead<T>(r: SharedReadResult<T>): Read<T> {
  if (!r.error && !r.stale && r.value !== undefined) return { status: 'ok', value: r.value, fetchedAt: r.fetchedAt };
  if (r.value !== undefined) return { status: 'stale', value: r.value, fetchedAt: r.fetchedAt, error: r.error ? toUserError(r.error) : undefined };
  return { status: 'failed', error: toUserError(r.error ?? new AppError('upstream', 'No answer yet.')) };
}

export function clusterResourceId(key: ClusterKey): string {
  const { subscriptionId } = getConfig();
  const c = clusterRef(key);
  return `/subscriptions/${subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${c.name}`;
}

async function batch(ids: string[], req: MetricsRequest) {
  const { metrics } = getAzureClients();
  return guarded('metrics', () => metrics.queryResources(ids, req.metricNames, req.namespace, req.options));
}

/** The last hour of every cluster's platform metrics (one batch call per metric group, all clusters at once). */
async function loadMetrics(): Promise<Record<ClusterKey, ClusterMetrics>> {
  const now = Date.now();
  const ids = CLUSTER_KEYS.map(clusterResourceId);
  const [nodes, conditions, pods, pending] = await Promise.all([
    batch(ids, nodeMetricsRequest(now)),
    batch(ids, nodeConditionRequest(now)),
    batch(ids, podReadyRequest(now)),
    batch(ids, pendingPodsRequest(now)),
  ]);
  const times = minutes(timeWindow(now));
  const find = (list: typeof nodes, id: string) => list.find((r) => r.resourceId?.toLowerCase() === id.toLowerCase());
  return Object.fromEntries(
    CLUSTER_KEYS.map((key, i) => [key, toClusterMetrics(ids[i], times, { nodes: find(nodes, ids[i]), conditions: find(conditions, ids[i]), pods: find(pods, ids[i]), pending: find(pending, ids[i]) })]),
  ) as Record<ClusterKey, ClusterMetrics>;
}

export async function getClusterMetrics(): Promise<Read<Record<ClusterKey, ClusterMetrics>>> {
  return toRead(await sharedReads().read('monitor:metrics', getConfig().monitor.refreshMs, loadMetrics));
}

/** What a cluster's live charts show: CPU by zone beside the zone matrix, and the cluster's pods on its card. */
export interface ZoneSeries {
  key: ClusterKey;
  name: string;
  times: number[];
  /** zone → average CPU % of its nodes per minute. */
  cpu: Record<string, (number | null)[]>;
  memory: (number | null)[];
  podsReady: (number | null)[];
  podsNotReady: (number | null)[];
  pendingPods: (number | null)[];
}

/** Per cluster and zone: CPU series from the node dimension joined with the nodes' zone labels. */
export async function getZoneMetrics(): Promise<Read<ZoneSeries[]>> {
  const m = await getClusterMetrics();
  if (!m.value) return { status: 'failed', error: m.error };
  const config = getConfig();
  const value = await Promise.all(
    CLUSTER_KEYS.map(async (key) => {
      // The nodes' zone labels from the cluster's watch-fed cache (no list per page view); a cluster that does not
      // answer keeps its last nodes, or none, and its series are then shown without zones.
      const inf = await informers().read(key, ['nodes'], config.upstream.deadlineMs).catch(() => undefined);
      const zoneOf = new Map((inf?.list('nodes') ?? []).map(nodeFacts).map((n) => [n.name, n.zone] as const));
      const cm = m.value![key];
      return { key, name: clusterRef(key).name, times: cm.times, cpu: zoneCpu(cm, zoneOf), memory: cm.memory, podsReady: cm.podsReady, podsNotReady: cm.podsNotReady, pendingPods: cm.pendingPods };
    }),
  );
  return { ...m, value };
}

// ---------- alerts ----------

export interface AlertRule {
  name: string;
  cluster: ClusterKey | null;
  kind: 'metric' | 'log';
  description: string;
  severity: number;
  enabled: boolean;
  /** What the rule watches, in words. */
  condition: string;
  /** Firing: one of its alerts is Fired now. */
  state: 'firing' | 'quiet' | 'disabled';
}

export interface FiredAlert {
  id: string;
  rule: string;
  cluster: ClusterKey | null;
  severity: string;
  description: string;
  since: string;
  resolvedAt?: string;
  condition: 'Fired' | 'Resolved';
}

export interface AlertsView {
  rules: AlertRule[];
  alerts: FiredAlert[];
}

const clusterOfId = (id: string | undefined): ClusterKey | null => {
  const lower = (id ?? '').toLowerCase();
  return CLUSTER_KEYS.find((k) => lower.includes(`/managedclusters/${clusterRef(k).name.toLowerCase()}`) || lower.includes(`/resourcegroups/${clusterRef(k).resourceGroup.toLowerCase()}/`)) ?? null;
};

interface AlertsManagementList {
  value?: { id: string; name: string; properties?: { essentials?: { severity?: string; monitorCondition?: 'Fired' | 'Resolved'; startDateTime?: string; monitorConditionResolvedDateTime?: string; targetResource?: string; alertRule?: string; description?: string } } }[];
}

/** Alerts Management's API version (stable). */
export const ALERTS_API_VERSION = '2019-03-01';

async function loadAlerts(): Promise<AlertsView> {
  const { monitor, alertsManagement } = getAzureClients();
  const { subscriptionId } = getConfig();
  const [metricRules, logRules, fired] = await Promise.all([
    guarded('rules', async () => {
      const out = [];
      for await (const r of monitor.metricAlerts.listBySubscription()) out.push(r);
      return out;
    }),
    guarded('rules', async () => {
      const out = [];
      for await (const r of monitor.scheduledQueryRules.listBySubscription()) out.push(r);
      return out;
    }),
    guarded('alerts', async () => {
      const res = await alertsManagement
        .path('/subscriptions/{subscriptionId}/providers/Microsoft.AlertsManagement/alerts', subscriptionId)
        .get({ queryParameters: { 'api-version': ALERTS_API_VERSION, timeRange: '1d', includeContext: 'false' } });
      if (res.status !== '200') {
        throw new AppError(res.status === '429' ? 'throttled' : 'upstream', `Alerts Management answered ${res.status}.`);
      }
      return res.body as AlertsManagementList;
    }),
  ]);
  const alerts: FiredAlert[] = (fired.value ?? []).slice(0, 200).map((a) => {
    const e = a.properties?.essentials ?? {};
    return {
      id: a.id,
      rule: a.name,
      cluster: clusterOfId(e.alertRule) ?? clusterOfId(e.targetResource),
      severity: e.severity ?? 'Sev?',
      description: e.description ?? '',
      since: e.startDateTime ?? '',
      resolvedAt: e.monitorConditionResolvedDateTime,
      condition: e.monitorCondition === 'Resolved' ? 'Resolved' : 'Fired',
    };
  });
  const firing = new Set(alerts.filter((a) => a.condition === 'Fired').map((a) => a.rule.toLowerCase()));
  const state = (name: string, enabled: boolean): AlertRule['state'] => (!enabled ? 'disabled' : firing.has(name.toLowerCase()) ? 'firing' : 'quiet');
  const rules: AlertRule[] = [
    ...metricRules.map((r) => {
      const c = (r.criteria as { allOf?: { metricName?: string; operator?: string; threshold?: number; timeAggregation?: string }[] }).allOf?.[0];
      return {
        name: r.name ?? '',
        cluster: clusterOfId(r.scopes?.[0]),
        kind: 'metric' as const,
        description: r.description ?? '',
        severity: r.severity ?? 0,
        enabled: r.enabled ?? true,
        condition: c ? `${c.timeAggregation ?? 'Average'} ${c.metricName} ${c.operator === 'GreaterThan' ? '>' : (c.operator ?? '')} ${c.threshold} over ${r.windowSize ?? ''}, every ${r.evaluationFrequency ?? ''}` : '',
        state: state(r.name ?? '', r.enabled ?? true),
      };
    }),
    ...logRules.map((r) => ({
      name: r.name ?? '',
      cluster: clusterOfId(r.id),
      kind: 'log' as const,
      description: r.description ?? '',
      severity: Number(r.severity ?? 0),
      enabled: r.enabled ?? true,
      condition: `Log query count > ${r.criteria?.allOf?.[0]?.threshold ?? 0} over ${r.windowSize ?? ''}, every ${r.evaluationFrequency ?? ''}`,
      state: state(r.name ?? '', r.enabled ?? true),
    })),
  ].sort((a, b) => a.name.localeCompare(b.name));
  return { rules, alerts };
}

export async function getAlerts(): Promise<Read<AlertsView>> {
  return toRead(await sharedReads().read('monitor:alerts', getConfig().monitor.refreshMs, loadAlerts));
}

// ---------- logs ----------

export interface LogTable {
  name: NamedQueryName;
  title: string;
  columns: string[];
  rows: (string | number | boolean | null)[][];
}

async function loadLogs(key: ClusterKey): Promise<LogTable[]> {
  const { workspaceId } = getConfig().monitor;
  if (!workspaceId) throw new AppError('refused', 'No Log Analytics workspace is configured (LOG_ANALYTICS_WORKSPACE_ID).', 'NoWorkspace');
  const { logs } = getAzureClients();
  const queries = clusterQueries({ name: clusterRef(key).name, resourceId: clusterResourceId(key) });
  return Promise.all(
    queries.map(async (q) => {
      const r = await guarded('logs', () => logs.queryWorkspace(workspaceId, q.text, { duration: q.timespan }, { serverTimeoutInSeconds: 30 }));
      if (r.status !== 'Success') throw new AppError('upstream', `Log Analytics could not run "${q.title}" in full.`, r.status);
      const table = r.tables[0];
      return {
        name: q.name,
        title: q.title,
        columns: table?.columnDescriptors.map((c) => c.name ?? '') ?? [],
        rows: (table?.rows ?? []).map((row) => row.map((v) => (v instanceof Date ? v.toISOString() : (v as string | number | boolean | null)))),
      };
    }),
  );
}

export async function getClusterLogs(key: ClusterKey): Promise<Read<LogTable[]>> {
  return toRead(await sharedReads().read(`monitor:logs:${key}`, getConfig().monitor.refreshMs, () => loadLogs(key)));
}

// ---------- activity log ----------

export interface ActivityEntry {
  id: string;
  at: string;
  caller: string;
  operation: string;
  resource: string;
  cluster: ClusterKey | null;
  status: string;
}

/** How far back the activity log is read (the audit trail beside it shows the same day). */
export const ACTIVITY_WINDOW_MS = 24 * 3600_000;
const MAX_ACTIVITY = 200;

async function loadActivity(): Promise<ActivityEntry[]> {
  const { monitor } = getAzureClients();
  const now = Date.now();
  const filter = `eventTimestamp ge '${new Date(now - ACTIVITY_WINDOW_MS).toISOString()}'`;
  return guarded('activity', async () => {
    const out: ActivityEntry[] = [];
    for await (const e of monitor.activityLogs.list(filter, { select: 'eventTimestamp,caller,operationName,resourceId,status,eventDataId,resourceGroupName' })) {
      if (!/containerservice|resources\/subscriptions\/resourcegroups/i.test(e.operationName?.value ?? '')) continue;
      out.push({
        id: e.eventDataId ?? `${e.eventTimestamp?.toISOString()}-${out.length}`,
        at: e.eventTimestamp?.toISOString() ?? '',
        caller: e.caller ?? '',
        operation: e.operationName?.localizedValue ?? e.operationName?.value ?? '',
        resource: e.resourceId ?? '',
        cluster: clusterOfId(e.resourceId),
        status: e.status?.localizedValue ?? e.status?.value ?? '',
      });
      if (out.length >= MAX_ACTIVITY) break;
    }
    return out;
  });
}

export async function getActivityLog(): Promise<Read<ActivityEntry[]>> {
  return toRead(await sharedReads().read('monitor:activity', getConfig().monitor.refreshMs, loadActivity));
}

export { monitorLinks, type MonitorLinks } from './links';
