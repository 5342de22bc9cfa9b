import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { requireApiVersion, send, type TwinContext, type TwinExtension, type TwinRequest } from '../server';
import { TwinError } from '../state';
import type { TwinCluster } from '../seed';
import type { K8sTwin } from '../k8s';
import type { ClusterKey } from '../k8s/catalog';
import type { ClusterModel } from '../k8s/model';
import { TWIN_WORKSPACE_ID } from '../../config';
import { METRIC_INFO, METRIC_NAMES, MINUTE, MetricHistory, type MetricName, type Point } from './metrics';
import { AlertBook, RULES } from './alerts';
import { answer, matchQuery } from './logs';
import { ActivityLog, callerOf, eventDataJson, operationOf, parseActivityFilter } from './activity';

/**
 * Azure Monitor on the twin, in Azure's shapes:
 *   POST /subscriptions/{sub}/metrics:getBatch                      metrics batch (the regional endpoint's API)
 *   GET  …/providers/Microsoft.Insights/metricAlerts                metric alert rules (infra/'s CPU and memory rules)
 *   GET  …/providers/Microsoft.Insights/scheduledQueryRules         log alert rules (infra/'s CrashLoopBackOff rule)
 *   GET  /subscriptions/{sub}/providers/Microsoft.AlertsManagement/alerts   fired alerts
 *   GET  /subscriptions/{sub}/providers/Microsoft.Insights/eventtypes/management/values   the activity log
 *   POST /v1/workspaces/{workspaceId}/query                         Log Analytics (the dashboard's named queries only)
 * Knobs (`/_twin/monitor/…`): `throttle` {api, perMinute} answers 429 with
 * Retry-After over that rate, `slow` {api, latencyMs} delays every answer,
 * `load` {cluster, demand} sets how hard the cluster's workload works (percent
 * of a node per node that served it; default 60),
 * `outside-operation` {cluster, operation, caller} runs a stop/start as
 * someone outside the dashboard would (the activity log records the caller).
 */

export const MONITOR_APIS = ['metrics', 'logs', 'rules', 'alerts', 'activity'] as const;
type MonitorApi = (typeof MONITOR_APIS)[number];

const INSIGHTS = '/providers/microsoft.insights/';
const NAMESPACE = 'Microsoft.ContainerService/managedClusters';

const throttleBody = z.object({ api: z.enum(MONITOR_APIS), perMinute: z.number().int().min(1).max(100_000) }).strict();
const slowBody = z.object({ api: z.enum(MONITOR_APIS), latencyMs: z.number().int().min(0).max(120_000) }).strict();
const loadBody = z.object({ cluster: z.enum(['mgmt', 'app1', 'app2']), demand: z.number().min(0).max(100) }).strict();
const outsideBody = z.object({ cluster: z.enum(['mgmt', 'app1', 'app2']), operation: z.enum(['stop', 'start']), caller: z.string().min(1).max(200) }).strict();

interface Env {
  histories: Map<string, MetricHistory>;
  alerts: AlertBook;
  activity: ActivityLog;
  throttles: Map<MonitorApi, { perMinute: number; hits: number[] }>;
  slow: Map<MonitorApi, number>;
}

export function clusterResourceId(sub: string, c: TwinCluster): string {
  return `/subscriptions/${sub}/resourceGroups/${c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${c.name}`;
}

export function monitorExtension(k8s: K8sTwin): TwinExtension {
  let env: Env | undefined;
  let bound: TwinContext['state'] | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const fresh = (): Env => ({ histories: new Map(), alerts: new AlertBook(), activity: new ActivityLog(), throttles: new Map(), slow: new Map() });

  const modelOf = (ctx: TwinContext, key: string): ClusterModel | undefined => {
    try {
      return k8s.model(ctx, key as ClusterKey);
    } catch {
      return undefined;
    }
  };

  let lastSync = -Infinity;
  /** Samples every cluster up to now and runs the alert evaluations that fell due. */
  const sync = (ctx: TwinContext): Env => {
    if (!env || bound !== ctx.state) {
      env = fresh();
      bound = ctx.state;
      lastSync = -Infinity;
      ctx.state.events.on('reset', () => {
        env = fresh();
        lastSync = -Infinity;
      });
    }
    const now = ctx.clock.now();
    // Requests of one page load arrive together: one look at the state serves them all.
    if (now - lastSync < Math.min(250, ctx.clock.duration(MINUTE) / 2)) return env;
    lastSync = now;
    for (const c of ctx.state.clusters) {
      const model = modelOf(ctx, c.key);
      model?.advance();
      const h = env.histories.get(c.key) ?? new MetricHistory();
      env.histories.set(c.key, h);
      h.catchUp(c, model, now);
      const latest = h.samples.at(-1);
      env.alerts.tick(
        c,
        () => ({
          at: now,
          values: latest && latest.at === Math.floor(now / MINUTE) * MINUTE ? { node_cpu_usage_percentage: MetricHistory.aggregate(latest, 'node_cpu_usage_percentage'), node_memory_working_set_percentage: MetricHistory.aggregate(latest, 'node_memory_working_set_percentage') } : {},
          crashLooping: crashLooping(model),
        }),
        now,
        (ms) => ctx.clock.duration(ms),
      );
    }
    // Sampling follows the twin's clock even when nobody reads: once a twin minute.
    if (!ticker) {
      ticker = setInterval(() => {
        if (bound === ctx.state) sync(ctx);
      }, Math.max(1000, ctx.clock.duration(MINUTE)));
      ticker.unref?.();
    }
    return env;
  };

  return {
    name: 'monitor',
    async handle(ctx, req, res) {
      const path = req.url.pathname;
      const lower = path.toLowerCase();
      const api = apiOf(req.method, lower);
      if (!api) {
        recordWrites(ctx, req, res, () => sync(ctx));
        return false;
      }
      const e = sync(ctx);
      const delay = e.slow.get(api);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const throttled = throttle(e, api);
      if (throttled !== undefined) {
        const body = api === 'logs'
          ? { error: { code: 'ThrottledError', message: 'Your request was throttled: too many requests. Try again later.', correlationId: randomUUID() } }
          : { error: { code: 'TooManyRequests', message: 'The request was throttled: the subscription has sent too many requests. Retry after the time given in Retry-After.' } };
        send(res, 429, body, { 'Retry-After': String(throttled) });
        return true;
      }
      if (api === 'logs') return logs(ctx, (key) => modelOf(ctx, key), req, res), true;
      requireApiVersion(req.url);
      checkSubscription(ctx, path);
      if (api === 'metrics') return metrics(ctx, e, req, res), true;
      if (api === 'rules') return rules(ctx, e, req, res), true;
      if (api === 'alerts') return alerts(ctx, e, req, res), true;
      return activity(ctx, e, req, res), true;
    },
    admin(ctx, req, res) {
      const e = sync(ctx);
      const route = `${req.method} ${req.url.pathname}`;
      try {
        const body = () => (req.body ? (JSON.parse(req.body) as unknown) : {});
        switch (route) {
          case 'POST /_twin/monitor/throttle': {
            const v = throttleBody.parse(body());
            e.throttles.set(v.api, { perMinute: v.perMinute, hits: [] });
            send(res, 200, { ok: true, throttles: Object.fromEntries([...e.throttles].map(([k, t]) => [k, t.perMinute])) });
            return true;
          }
          case 'DELETE /_twin/monitor/throttle':
            e.throttles.clear();
            send(res, 200, { ok: true });
            return true;
          case 'POST /_twin/monitor/slow': {
            const v = slowBody.parse(body());
            e.slow.set(v.api, v.latencyMs);
            send(res, 200, { ok: true, slow: Object.fromEntries(e.slow) });
            return true;
          }
          case 'DELETE /_twin/monitor/slow':
            e.slow.clear();
            send(res, 200, { ok: true });
            return true;
          case 'POST /_twin/monitor/load': {
            const v = loadBody.parse(body());
            const h = e.histories.get(v.cluster);
            if (!h) throw new TwinError(404, 'NotFound', `no cluster ${v.cluster}`);
            h.demand = v.demand;
            lastSync = -Infinity;
            sync(ctx);
            send(res, 200, { ok: true, cluster: v.cluster, demand: v.demand });
            return true;
          }
          case 'POST /_twin/monitor/outside-operation': {
            const v = outsideBody.parse(body());
            const c = ctx.state.clusters.find((x) => x.key === v.cluster);
            if (!c) throw new TwinError(404, 'NotFound', `no cluster ${v.cluster}`);
            const op = ctx.state.beginPowerOperation(c, v.operation);
            e.activity.add({ at: ctx.clock.now(), caller: v.caller, operation: `Microsoft.ContainerService/managedClusters/${v.operation}/action`, resourceId: clusterResourceId(ctx.subscriptionId, c), resourceGroup: c.resourceGroup, status: 'Accepted', httpStatus: 202, method: 'POST' });
            send(res, 200, { ok: true, operation: op.id });
            return true;
          }
          case 'GET /_twin/monitor/summary':
            send(res, 200, {
              now: new Date(ctx.clock.now()).toISOString(),
              clusters: Object.fromEntries([...e.histories].map(([k, h]) => [k, { samples: h.samples.length, cpu: h.samples.slice(-5).map((s) => MetricHistory.aggregate(s, 'node_cpu_usage_percentage') ?? null) }])),
              alerts: e.alerts.alerts.map((a) => ({ rule: a.rule, started: new Date(a.startedAt).toISOString(), resolved: a.resolvedAt ? new Date(a.resolvedAt).toISOString() : null })),
              activity: e.activity.records.length,
            });
            return true;
          default:
            return false;
        }
      } catch (err) {
        if (err instanceof TwinError) send(res, err.status, { error: { code: err.code, message: err.message } });
        else if (err instanceof z.ZodError || err instanceof SyntaxError) send(res, 400, { error: { code: 'BadRequest', message: err.message } });
        else throw err;
        return true;
      }
    },
    reset() {
      env = undefined;
      bound = undefined;
    },
  };
}

function crashLooping(model: ClusterModel | undefined): number {
  return (model?.pods() ?? []).filter((p) => p.status.containerStatuses?.some((s) => (s.state as { waiting?: { reason?: string } } | undefined)?.waiting?.reason === 'CrashLoopBackOff')).length;
}

function apiOf(method: string, lower: string): MonitorApi | undefined {
  if (/^\/subscriptions\/[^/]+\/metrics:getbatch$/.test(lower)) return 'metrics';
  if (/^\/v1\/workspaces\/[^/]+\/query$/.test(lower)) return 'logs';
  if (lower.includes('/providers/microsoft.alertsmanagement/alerts')) return 'alerts';
  if (lower.includes(`${INSIGHTS}eventtypes/management/values`)) return 'activity';
  if (lower.includes(`${INSIGHTS}metricalerts`) || lower.includes(`${INSIGHTS}scheduledqueryrules`)) return 'rules';
  void method;
  return undefined;
}

/** Records a served ARM write in the activity log once its answer is sent. */
function recordWrites(ctx: TwinContext, req: TwinRequest, res: ServerResponse, envOf: () => Env): void {
  if (req.method === 'GET') return;
  const op = operationOf(req.method, req.url.pathname);
  if (!op) return;
  const caller = callerOf(req.headers.authorization);
  res.once('finish', () => {
    const status = res.statusCode;
    envOf().activity.add({ at: ctx.clock.now(), caller, ...op, status: status >= 400 ? 'Failed' : status === 202 ? 'Accepted' : 'Succeeded', httpStatus: status, method: req.method });
  });
}

/** Seconds until the API may be called again, or undefined when under its rate. */
function throttle(e: Env, api: MonitorApi): number | undefined {
  const t = e.throttles.get(api);
  if (!t) return undefined;
  const now = Date.now();
  t.hits = t.hits.filter((h) => now - h < 60_000);
  if (t.hits.length >= t.perMinute) return Math.max(1, Math.ceil((t.hits[0] + 60_000 - now) / 1000));
  t.hits.push(now);
  return undefined;
}

function checkSubscription(ctx: TwinContext, path: string): void {
  const sub = path.split('/')[2] ?? '';
  if (sub.toLowerCase() !== ctx.subscriptionId.toLowerCase()) throw new TwinError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
}

function clusterById(ctx: TwinContext, id: string): TwinCluster | undefined {
  return ctx.state.clusters.find((c) => clusterResourceId(ctx.subscriptionId, c).toLowerCase() === id.toLowerCase());
}

// ---------- metrics:getBatch ----------

const GRAINS: Record<string, number> = { PT1M: 1, PT5M: 5, PT15M: 15, PT30M: 30, PT1H: 60 };
const AGGREGATIONS = ['average', 'minimum', 'maximum', 'total', 'count'] as const;
type Aggregation = (typeof AGGREGATIONS)[number];

function metrics(ctx: TwinContext, e: Env, req: TwinRequest, res: ServerResponse): void {
  if (req.method !== 'POST') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
  const q = req.url.searchParams;
  const bad = (message: string) => new TwinError(400, 'BadRequest', message);
  const ns = q.get('metricnamespace') ?? '';
  if (ns.toLowerCase() !== NAMESPACE.toLowerCase()) throw bad(`Metric namespace '${ns}' is not supported by the resources in the request; expected ${NAMESPACE}.`);
  const names = (q.get('metricnames') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!names.length) throw bad('The metricnames parameter is required.');
  for (const n of names) {
    if (!(METRIC_NAMES as readonly string[]).includes(n)) throw bad(`Failed to find metric configuration for provider: Microsoft.ContainerService, resource Type: managedClusters, metric: ${n}, Valid metrics: ${METRIC_NAMES.join(',')}`);
  }
  const interval = (q.get('interval') ?? 'PT1M').toUpperCase();
  const grain = GRAINS[interval];
  if (!grain) throw bad(`Interval '${interval}' is not supported; supported: ${Object.keys(GRAINS).join(', ')}.`);
  const aggs = (q.get('aggregation') ?? 'average').toLowerCase().split(',').map((s) => s.trim()) as Aggregation[];
  for (const a of aggs) if (!AGGREGATIONS.includes(a)) throw bad(`Aggregation '${a}' is not valid.`);
  const now = ctx.clock.now();
  const end = q.get('endtime') ? Date.parse(q.get('endtime')!) : now;
  const start = q.get('starttime') ? Date.parse(q.get('starttime')!) : end - 3600_000;
  if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end) throw bad('starttime and endtime must be ISO 8601 times with starttime before endtime.');
  if (end - start > 24 * 3600_000) throw bad('The metrics batch API allows at most 24 hours per query on the twin.');
  const split = parseFilter(q.get('filter'));
  const top = Math.min(Number(q.get('top') ?? 10) || 10, 100);
  let ids: string[];
  try {
    ids = z.object({ resourceids: z.array(z.string().min(1)).min(1).max(50) }).parse(JSON.parse(req.body || '{}')).resourceids;
  } catch {
    throw bad('The request body must be {"resourceids": [...]} with 1 to 50 resource ids.');
  }
  const values = ids.map((id) => {
    const c = clusterById(ctx, id);
    const h = c ? e.histories.get(c.key) : undefined;
    return {
      starttime: new Date(start).toISOString(),
      endtime: new Date(end).toISOString(),
      interval,
      namespace: NAMESPACE,
      resourceregion: ctx.state.names.location,
      resourceid: id,
      value: (names as MetricName[]).map((m) => metricJson(id, m, h, start, end, grain, aggs, split, top)),
    };
  });
  send(res, 200, { values });
}

/** `dim eq 'v'` clauses joined by `and`; `'*'` splits by that dimension. */
function parseFilter(filter: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!filter) return out;
  for (const clause of filter.split(/\s+and\s+/i)) {
    const m = /^\s*(\w+)\s+eq\s+'([^']*)'\s*$/i.exec(clause);
    if (!m) throw new TwinError(400, 'BadRequest', `The filter clause '${clause.trim()}' is not supported: use dimension eq 'value' joined by and.`);
    out.set(m[1].toLowerCase(), m[2]);
  }
  return out;
}

function metricJson(id: string, metric: MetricName, h: MetricHistory | undefined, start: number, end: number, grain: number, aggs: Aggregation[], split: Map<string, string>, top: number) {
  const info = METRIC_INFO[metric];
  const splitDims = info.dimensions.filter((d) => split.get(d) === '*');
  const matches = (p: Point) => [...split].every(([d, v]) => v === '*' || !info.dimensions.includes(d) || (p.dims[d] ?? '').toLowerCase() === v.toLowerCase());
  const keyOf = (p: Point) => splitDims.map((d) => p.dims[d] ?? '').join('\u0000');
  const samples = (h?.samples ?? []).filter((s) => s.at >= start && s.at < end);
  const series = new Map<string, Map<number, number[]>>();
  for (const s of samples) {
    const bucket = Math.floor(s.at / (grain * MINUTE)) * grain * MINUTE;
    for (const p of s.byMetric[metric].filter(matches)) {
      const k = keyOf(p);
      const byTime = series.get(k) ?? new Map<number, number[]>();
      series.set(k, byTime);
      // Within a minute a count adds up over the rolled-up dimensions; over minutes each aggregation applies.
      (byTime.get(bucket) ?? byTime.set(bucket, []).get(bucket)!).push(p.value);
    }
  }
  if (!series.size && !splitDims.length) series.set('', new Map());
  const buckets: number[] = [];
  for (let t = Math.ceil(start / (grain * MINUTE)) * grain * MINUTE; t < end; t += grain * MINUTE) buckets.push(t);
  const timeseries = [...series].slice(0, splitDims.length ? top : 1).map(([k, byTime]) => ({
    metadatavalues: splitDims.map((d, i) => ({ name: { value: d, localizedValue: d }, value: k.split('\u0000')[i] })),
    data: buckets.map((t) => {
      const vs = byTime.get(t);
      const point: Record<string, string | number> = { timeStamp: new Date(t).toISOString() };
      if (!vs?.length) return point;
      for (const a of aggs) point[a] = aggregate(a, vs);
      return point;
    }),
  }));
  return {
    id: `${id}/providers/Microsoft.Insights/metrics/${metric}`,
    type: 'Microsoft.Insights/metrics',
    name: { value: metric, localizedValue: info.display },
    displayDescription: info.display,
    errorCode: 'Success',
    unit: info.unit,
    timeseries,
  };
}

/** The aggregation over every point of a bucket (the nodes rolled up, and the minutes of a longer grain). */
function aggregate(a: Aggregation, perMinute: number[]): number {
  const r = (v: number) => Math.round(v * 100) / 100;
  switch (a) {
    case 'average': return r(perMinute.reduce((x, v) => x + v, 0) / perMinute.length);
    case 'minimum': return r(Math.min(...perMinute));
    case 'maximum': return r(Math.max(...perMinute));
    case 'total': return r(perMinute.reduce((x, v) => x + v, 0));
    case 'count': return perMinute.length;
  }
}

// ---------- alert rules, fired alerts ----------

function rules(ctx: TwinContext, e: Env, req: TwinRequest, res: ServerResponse): void {
  if (req.method !== 'GET') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
  const parts = req.url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const lower = parts.map((p) => p.toLowerCase());
  const kindIndex = lower.findIndex((p) => p === 'metricalerts' || p === 'scheduledqueryrules');
  const kind = lower[kindIndex] === 'metricalerts' ? 'metric' : 'log';
  const rg = lower[2] === 'resourcegroups' ? parts[3] : undefined;
  const all = ctx.state.clusters.flatMap((c) => RULES.filter((r) => r.kind === kind).map((r) => ({ c, r })));
  const inScope = all.filter(({ c }) => !rg || c.resourceGroup.toLowerCase() === rg.toLowerCase());
  const json = ({ c, r }: (typeof all)[number]) => (r.kind === 'metric' ? metricAlertJson(ctx, c, r) : scheduledQueryRuleJson(ctx, c, r));
  const name = parts[kindIndex + 1];
  if (name) {
    const hit = inScope.find(({ c, r }) => r.name(c.key).toLowerCase() === name.toLowerCase());
    if (!hit) throw new TwinError(404, 'ResourceNotFound', `The Resource 'Microsoft.Insights/${parts[kindIndex]}/${name}' under resource group '${rg}' was not found.`);
    return send(res, 200, json(hit));
  }
  void e;
  send(res, 200, { value: inScope.map(json) });
}

function ruleId(ctx: TwinContext, c: TwinCluster, type: string, name: string): string {
  return `/subscriptions/${ctx.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.Insights/${type}/${name}`;
}

function actionGroupId(ctx: TwinContext): string {
  return `/subscriptions/${ctx.subscriptionId}/resourceGroups/${ctx.state.names.commonResourceGroup}/providers/Microsoft.Insights/actionGroups/ag-k8s-demo`;
}

function workspaceResourceId(ctx: TwinContext): string {
  return `/subscriptions/${ctx.subscriptionId}/resourceGroups/${ctx.state.names.commonResourceGroup}/providers/Microsoft.OperationalInsights/workspaces/law-k8s-demo`;
}

function metricAlertJson(ctx: TwinContext, c: TwinCluster, r: (typeof RULES)[number]) {
  const name = r.name(c.key);
  return {
    id: ruleId(ctx, c, 'metricAlerts', name),
    name,
    type: 'Microsoft.Insights/metricAlerts',
    location: 'global',
    tags: {},
    properties: {
      description: r.description,
      severity: r.severity,
      enabled: true,
      scopes: [clusterResourceId(ctx.subscriptionId, c)],
      evaluationFrequency: `PT${r.frequencyMin}M`,
      windowSize: `PT${r.windowMin}M`,
      targetResourceType: NAMESPACE,
      targetResourceRegion: c.location,
      criteria: {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria',
        allOf: [{ criterionType: 'StaticThresholdCriterion', name: 'Metric1', metricName: r.metric, metricNamespace: NAMESPACE, operator: 'GreaterThan', timeAggregation: 'Average', threshold: r.threshold, dimensions: [] }],
      },
      autoMitigate: true,
      actions: [{ actionGroupId: actionGroupId(ctx), webHookProperties: {} }],
    },
  };
}

function scheduledQueryRuleJson(ctx: TwinContext, c: TwinCluster, r: (typeof RULES)[number]) {
  const name = r.name(c.key);
  return {
    id: ruleId(ctx, c, 'scheduledQueryRules', name),
    name,
    type: 'Microsoft.Insights/scheduledQueryRules',
    location: c.location,
    kind: 'LogAlert',
    tags: {},
    properties: {
      description: `Containers in CrashLoopBackOff on ${c.name}`,
      severity: r.severity,
      enabled: true,
      scopes: [workspaceResourceId(ctx)],
      evaluationFrequency: `PT${r.frequencyMin}M`,
      windowSize: `PT${r.windowMin}M`,
      criteria: {
        allOf: [{
          query: `KubePodInventory\n| where ClusterName == "${c.name}"\n| where ContainerStatusReason == "CrashLoopBackOff"\n| summarize restarts = count() by Namespace, Name\n`,
          timeAggregation: 'Count',
          operator: 'GreaterThan',
          threshold: r.threshold,
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
        }],
      },
      autoMitigate: true,
      actions: { actionGroups: [actionGroupId(ctx)] },
    },
  };
}

function alerts(ctx: TwinContext, e: Env, req: TwinRequest, res: ServerResponse): void {
  if (req.method !== 'GET') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
  const q = req.url.searchParams;
  const condition = q.get('monitorCondition');
  const target = q.get('targetResource')?.toLowerCase();
  const byKey = new Map(ctx.state.clusters.map((c) => [c.key, c]));
  const value = [...e.alerts.alerts]
    .sort((a, b) => b.startedAt - a.startedAt)
    .filter((a) => byKey.has(a.clusterKey as TwinCluster['key']))
    .map((a) => {
      const c = byKey.get(a.clusterKey as TwinCluster['key'])!;
      const target = a.kind === 'metric' ? clusterResourceId(ctx.subscriptionId, c) : workspaceResourceId(ctx);
      return {
        id: `${target}/providers/Microsoft.AlertsManagement/alerts/${a.id}`,
        type: 'Microsoft.AlertsManagement/alerts',
        name: a.rule,
        properties: {
          essentials: {
            severity: `Sev${a.severity}`,
            signalType: a.kind === 'metric' ? 'Metric' : 'Log',
            alertState: 'New',
            monitorCondition: a.resolvedAt === undefined ? 'Fired' : 'Resolved',
            monitorService: a.kind === 'metric' ? 'Platform' : 'Log Alerts V2',
            targetResource: target,
            targetResourceName: target.split('/').pop(),
            targetResourceGroup: target.split('/')[4],
            targetResourceType: a.kind === 'metric' ? 'microsoft.containerservice/managedclusters' : 'microsoft.operationalinsights/workspaces',
            sourceCreatedId: a.id,
            alertRule: ruleId(ctx, c, a.kind === 'metric' ? 'metricAlerts' : 'scheduledQueryRules', a.rule),
            startDateTime: new Date(a.startedAt).toISOString(),
            lastModifiedDateTime: new Date(a.modifiedAt).toISOString(),
            ...(a.resolvedAt !== undefined ? { monitorConditionResolvedDateTime: new Date(a.resolvedAt).toISOString() } : {}),
            lastModifiedUserName: 'System',
            actionStatus: { isSuppressed: false },
            description: a.description,
          },
          egressConfig: {},
          context: {},
        },
      };
    })
    .filter((a) => !condition || a.properties.essentials.monitorCondition === condition)
    .filter((a) => !target || a.properties.essentials.targetResource.toLowerCase() === target);
  send(res, 200, { value });
}

// ---------- activity log ----------

function activity(ctx: TwinContext, e: Env, req: TwinRequest, res: ServerResponse): void {
  if (req.method !== 'GET') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
  const f = parseActivityFilter(req.url.searchParams.get('$filter'), ctx.clock.now());
  if ('error' in f) throw new TwinError(400, 'BadRequest', f.error);
  const value = e.activity.records
    .filter((r) => r.at >= f.from && r.at <= f.to && (!f.resourceGroup || r.resourceGroup.toLowerCase() === f.resourceGroup.toLowerCase()))
    .sort((a, b) => b.at - a.at)
    .map((r) => eventDataJson(ctx.subscriptionId, r));
  send(res, 200, { value });
}

// ---------- Log Analytics ----------

function logs(ctx: TwinContext, modelOf: (key: string) => ClusterModel | undefined, req: TwinRequest, res: ServerResponse): void {
  const workspace = req.url.pathname.split('/')[3] ?? '';
  const fail = (status: number, code: string, message: string, inner?: { code: string; message: string }) =>
    send(res, status, { error: { message, code, correlationId: randomUUID(), ...(inner ? { innererror: inner } : {}) } });
  if (req.method !== 'POST') return fail(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
  if (workspace.toLowerCase() !== TWIN_WORKSPACE_ID) return fail(404, 'WorkspaceNotFoundError', `The workspace could not be found: ${workspace}`);
  let body: { query?: unknown; timespan?: unknown };
  try {
    body = JSON.parse(req.body || '{}') as typeof body;
  } catch {
    return fail(400, 'BadArgumentError', 'The request had some invalid properties', { code: 'InvalidJsonBody', message: 'The request body is not valid JSON.' });
  }
  if (typeof body.query !== 'string' || !body.query.trim() || body.query.length > 10_000) {
    return fail(400, 'BadArgumentError', 'The request had some invalid properties', { code: 'QueryValidationError', message: 'The query is missing or longer than the twin accepts.' });
  }
  const now = ctx.clock.now();
  const span = parseTimespan(typeof body.timespan === 'string' ? body.timespan : undefined, now);
  if (!span) return fail(400, 'BadArgumentError', 'The request had some invalid properties', { code: 'InvalidTimespan', message: 'The timespan must be an ISO 8601 duration or start/end.' });
  const clusters = ctx.state.clusters.map((c) => ({ key: c.key, name: c.name, resourceId: clusterResourceId(ctx.subscriptionId, c), running: c.power === 'Running' }));
  const hit = matchQuery(body.query, clusters);
  if (!hit) {
    return fail(400, 'BadArgumentError', 'The request had some invalid properties', {
      code: 'SemanticError',
      message: "The twin's Log Analytics answers only the dashboard's named queries (see lib/twin/README.md); this query is not one of them.",
    });
  }
  // A stopped cluster sends no logs: its queries answer with no rows.
  const model = hit.cluster.running ? modelOf(hit.cluster.key) : undefined;
  send(res, 200, { tables: [answer(hit.name, { ...hit.cluster, model }, span.from, span.to)] });
}

function parseTimespan(t: string | undefined, now: number): { from: number; to: number } | undefined {
  if (!t) return { from: now - 24 * 3600_000, to: now };
  const dur = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(t);
  if (dur && t !== 'P' && t !== 'PT') {
    const ms = ((Number(dur[1] ?? 0) * 24 + Number(dur[2] ?? 0)) * 60 + Number(dur[3] ?? 0)) * 60_000 + Number(dur[4] ?? 0) * 1000;
    return { from: now - ms, to: now };
  }
  const [a, b] = t.split('/');
  const from = Date.parse(a);
  const to = b ? Date.parse(b) : now;
  return Number.isFinite(from) && Number.isFinite(to) && from < to ? { from, to } : undefined;
}
