import 'server-only';
import type { MetricsQueryResult } from '@azure/monitor-query-metrics';

/**
 * The metrics batch request the dashboard sends, and the mapping of its answer
 * into plain series. Pure: the builders take the time, the mapping takes the
 * SDK's result; lib/monitor/index.ts does the I/O.
 */

export const CLUSTER_NAMESPACE = 'Microsoft.ContainerService/managedClusters';

/** The AKS platform metrics that tell the story of a zone failure or a Spot eviction. */
export const CLUSTER_METRICS = {
  cpu: 'node_cpu_usage_percentage',
  memory: 'node_memory_working_set_percentage',
  nodeCondition: 'kube_node_status_condition',
  podReady: 'kube_pod_status_ready',
  pendingPods: 'cluster_autoscaler_unschedulable_pods_count',
} as const;

export const WINDOW_MS = 3600_000;
export const GRAIN = 'PT1M';
const MINUTE = 60_000;

export interface MetricsRequest {
  metricNames: string[];
  namespace: string;
  options: { startTime: Date; endTime: Date; interval: string; aggregation: string; filter?: string; top?: number };
}

/** The last hour, at one-minute grain, ending at the minute boundary before `now`. */
export function timeWindow(now: number): { startTime: Date; endTime: Date } {
  const end = Math.floor(now / MINUTE) * MINUTE + MINUTE;
  return { startTime: new Date(end - WINDOW_MS), endTime: new Date(end) };
}

/** Per-node CPU and memory: split by the node dimension (joined with the nodes' zone labels afterwards). */
export function nodeMetricsRequest(now: number, maxNodes = 50): MetricsRequest {
  return {
    metricNames: [CLUSTER_METRICS.cpu, CLUSTER_METRICS.memory],
    namespace: CLUSTER_NAMESPACE,
    options: { ...timeWindow(now), interval: GRAIN, aggregation: 'average', filter: "node eq '*'", top: maxNodes },
  };
}

/** Nodes by Ready status. */
export function nodeConditionRequest(now: number): MetricsRequest {
  return {
    metricNames: [CLUSTER_METRICS.nodeCondition],
    namespace: CLUSTER_NAMESPACE,
    options: { ...timeWindow(now), interval: GRAIN, aggregation: 'total', filter: "condition eq 'Ready' and status eq '*'" },
  };
}

/** Pods ready / not ready. */
export function podReadyRequest(now: number): MetricsRequest {
  return {
    metricNames: [CLUSTER_METRICS.podReady],
    namespace: CLUSTER_NAMESPACE,
    options: { ...timeWindow(now), interval: GRAIN, aggregation: 'total', filter: "condition eq '*'" },
  };
}

/** Pending pods, where AKS publishes them (the cluster autoscaler's metric). */
export function pendingPodsRequest(now: number): MetricsRequest {
  return {
    metricNames: [CLUSTER_METRICS.pendingPods],
    namespace: CLUSTER_NAMESPACE,
    options: { ...timeWindow(now), interval: GRAIN, aggregation: 'total' },
  };
}

/** A series: minute timestamps (ms) and values (null: no data that minute). */
export interface Series {
  times: number[];
  values: (number | null)[];
}

export interface ClusterMetrics {
  resourceId: string;
  times: number[];
  cpu: (number | null)[];
  memory: (number | null)[];
  nodesReady: (number | null)[];
  nodesNotReady: (number | null)[];
  podsReady: (number | null)[];
  podsNotReady: (number | null)[];
  pendingPods: (number | null)[];
  /** Per node, for the join with the zone labels. */
  nodes: { node: string; cpu: (number | null)[]; memory: (number | null)[] }[];
}

type Metric = MetricsQueryResult['metrics'][number];
type TimeSeries = NonNullable<Metric['timeseries']>[number];

const dim = (ts: TimeSeries, name: string) => ts.metadatavalues?.find((m) => String(m.name).toLowerCase() === name)?.value ?? '';

function valuesOf(ts: TimeSeries | undefined, times: number[], field: 'average' | 'total' = 'average'): (number | null)[] {
  const byTime = new Map((ts?.data ?? []).map((d) => [new Date(d.timeStamp).getTime(), d[field]]));
  return times.map((t) => {
    const v = byTime.get(t);
    return typeof v === 'number' ? v : null;
  });
}

/** Sums series point by point (null only where every series has no data). */
export function sumSeries(series: (number | null)[][], length: number): (number | null)[] {
  return Array.from({ length }, (_, i) => {
    const vs = series.map((s) => s[i]).filter((v): v is number => typeof v === 'number');
    return vs.length ? vs.reduce((a, v) => a + v, 0) : null;
  });
}

/** Averages series point by point over the ones with data. */
export function averageSeries(series: (number | null)[][], length: number): (number | null)[] {
  return Array.from({ length }, (_, i) => {
    const vs = series.map((s) => s[i]).filter((v): v is number => typeof v === 'number');
    return vs.length ? Math.round((vs.reduce((a, v) => a + v, 0) / vs.length) * 10) / 10 : null;
  });
}

/** The minute timestamps of a window. */
export function minutes(window: { startTime: Date; endTime: Date }): number[] {
  const out: number[] = [];
  for (let t = window.startTime.getTime(); t < window.endTime.getTime(); t += MINUTE) out.push(t);
  return out;
}

const metricNamed = (r: MetricsQueryResult | undefined, name: string): Metric | undefined => r?.metrics.find((m) => m.id?.endsWith(`/${name}`) || m.name === name);

/** Maps the four batch answers for one cluster into its series. */
export function toClusterMetrics(resourceId: string, times: number[], parts: { nodes?: MetricsQueryResult; conditions?: MetricsQueryResult; pods?: MetricsQueryResult; pending?: MetricsQueryResult }): ClusterMetrics {
  const cpuTs = metricNamed(parts.nodes, CLUSTER_METRICS.cpu)?.timeseries ?? [];
  const memTs = metricNamed(parts.nodes, CLUSTER_METRICS.memory)?.timeseries ?? [];
  const nodes = cpuTs.map((ts) => {
    const node = dim(ts, 'node');
    return { node, cpu: valuesOf(ts, times), memory: valuesOf(memTs.find((m) => dim(m, 'node') === node), times) };
  });
  const cond = metricNamed(parts.conditions, CLUSTER_METRICS.nodeCondition)?.timeseries ?? [];
  const pods = metricNamed(parts.pods, CLUSTER_METRICS.podReady)?.timeseries ?? [];
  // Counts are asked as totals: the nodes (or pods) of a minute add up.
  const byStatus = (list: TimeSeries[], d: string, v: string) => sumSeries(list.filter((ts) => dim(ts, d).toLowerCase() === v).map((ts) => valuesOf(ts, times, 'total')), times.length);
  const pendingTs = metricNamed(parts.pending, CLUSTER_METRICS.pendingPods)?.timeseries?.[0];
  const nodesReady = byStatus(cond, 'status', 'true');
  const podsReady = byStatus(pods, 'condition', 'true');
  // A minute with a report but no not-ready series has none not ready.
  const orZero = (xs: (number | null)[], reported: (number | null)[]) => xs.map((v, i) => (v === null && reported[i] !== null ? 0 : v));
  return {
    resourceId,
    times,
    cpu: averageSeries(nodes.map((n) => n.cpu), times.length),
    memory: averageSeries(nodes.map((n) => n.memory), times.length),
    nodesReady: orZero(nodesReady, sumSeries([nodesReady, byStatus(cond, 'status', 'false'), byStatus(cond, 'status', 'unknown')], times.length)),
    nodesNotReady: orZero(sumSeries([byStatus(cond, 'status', 'false'), byStatus(cond, 'status', 'unknown')], times.length), nodesReady),
    podsReady,
    podsNotReady: orZero(byStatus(pods, 'condition', 'false'), podsReady),
    pendingPods: valuesOf(pendingTs, times, 'total'),
    nodes,
  };
}

/**
 * Zone series: the node dimension joined with the nodes' zone labels. A minute
 * where no node of the zone reported has no value; a node the Kubernetes API no
 * longer lists (a replaced Spot node) is left out.
 */
export function zoneCpu(m: ClusterMetrics, zoneOf: Map<string, string | null>): Record<string, (number | null)[]> {
  const out: Record<string, (number | null)[]> = {};
  const zones = new Set([...zoneOf.values()].filter((z): z is string => Boolean(z)));
  for (const zone of [...zones].sort()) {
    const inZone = m.nodes.filter((n) => zoneOf.get(n.node) === zone);
    out[zone] = averageSeries(inZone.map((n) => n.cpu), m.times.length);
  }
  return out;
}
