import type { TwinCluster } from '../seed';
import type { ClusterModel } from '../k8s/model';
import { nodeZone } from '../k8s/model';
import type { Node, Pod } from '../k8s/types';

/**
 * The AKS platform metrics (Microsoft.ContainerService/managedClusters) the twin
 * publishes, derived from its own Kubernetes state and sampled once a minute of
 * the twin's clock into a bounded rolling history (the last hour, as the
 * dashboard asks for; Azure keeps 93 days).
 *
 * How the values follow the state: each cluster carries a steady demand of
 * work (`demand` percent of a node, for as many nodes as served it when
 * sampling began; the `/_twin/monitor/load` knob plays a load generator), shared
 * by the Ready nodes that run workload pods (not DaemonSets). A node's CPU is a
 * small system baseline plus its share. A node that stops reporting (a zone
 * outage: NotReady) publishes nothing, so the rest carry the demand and their
 * CPU climbs; a drained node falls to its baseline; a node that replaces an
 * evicted Spot node starts at its baseline and climbs once pods land on it.
 */

export const METRIC_NAMES = [
  'node_cpu_usage_percentage',
  'node_memory_working_set_percentage',
  'kube_node_status_condition',
  'kube_pod_status_ready',
  'cluster_autoscaler_unschedulable_pods_count',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export const METRIC_INFO: Record<MetricName, { display: string; unit: 'Percent' | 'Count'; dimensions: string[] }> = {
  node_cpu_usage_percentage: { display: 'CPU Usage Percentage', unit: 'Percent', dimensions: ['node', 'nodepool'] },
  node_memory_working_set_percentage: { display: 'Memory Working Set Percentage', unit: 'Percent', dimensions: ['node', 'nodepool'] },
  kube_node_status_condition: { display: 'Statuses for various node conditions', unit: 'Count', dimensions: ['condition', 'status', 'node'] },
  kube_pod_status_ready: { display: 'Number of pods in Ready state', unit: 'Count', dimensions: ['namespace', 'pod', 'condition'] },
  cluster_autoscaler_unschedulable_pods_count: { display: 'Cluster Autoscaler Unschedulable Pods Count', unit: 'Count', dimensions: [] },
};

export const MINUTE = 60_000;
/** Minutes kept per cluster: one hour at one-minute grain. */
export const HISTORY_MINUTES = 60;
const BASELINE_CPU = 8;
const BASELINE_MEMORY = 22;
/** The default demand, as percent of one node, per node that served it when sampling began. */
export const DEFAULT_DEMAND = 60;
/** What a node without workload pods uses on top of the baseline (its DaemonSets). */
const IDLE_CPU = 4;

/** One series point: the dimension values and the value at that minute. */
export interface Point {
  dims: Record<string, string>;
  value: number;
}

export interface Sample {
  /** Start of the minute (twin clock). */
  at: number;
  byMetric: Record<MetricName, Point[]>;
  /** node name → zone, for the product's join and the alerts' evaluation. */
  zones: Record<string, string>;
}

const ready = (n: Node) => n.status.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
const isDaemon = (p: Pod) => p.metadata.ownerReferences?.[0]?.kind === 'DaemonSet';
const podReady = (p: Pod) => p.status.phase === 'Running' && (p.status.conditions?.find((c) => c.type === 'Ready')?.status ?? 'True') === 'True';
const pool = (n: Node) => n.metadata.labels?.['kubernetes.azure.com/agentpool'] ?? n.metadata.labels?.['karpenter.sh/nodepool'] ?? '';

/** A steady wobble of ±2 points, the same for a node and minute every time it is asked. */
function wobble(seed: string, minute: number): number {
  let h = 2166136261;
  for (const ch of `${seed}:${minute}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return (((h >>> 0) % 401) - 200) / 100;
}

const round = (v: number) => Math.round(v * 100) / 100;
const clamp = (v: number) => Math.max(0, Math.min(100, v));

/** The cluster's state as the metrics see it, computed once and stamped on as many minutes as needed. */
export interface Snapshot {
  nodes: { name: string; pool: string; zone: string; ready: string; cpu: number; memory: number }[];
  pods: Point[];
  pending: number;
}

/** Ready nodes that run at least one ready workload pod. */
export function servingNodes(model: ClusterModel): number {
  const ready = new Set(model.nodes().filter((n) => n.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True').map((n) => n.metadata.name));
  return new Set(model.pods().filter((p) => !isDaemon(p) && podReady(p) && p.spec.nodeName && ready.has(p.spec.nodeName)).map((p) => p.spec.nodeName)).size;
}

export function snapshotCluster(model: ClusterModel, servedBy: number, demand = DEFAULT_DEMAND): Snapshot {
  const nodes = model.nodes();
  const pods = model.pods();
  const reportingNames = new Set(nodes.filter((n) => ready(n) === 'True').map((n) => n.metadata.name));
  const workloadOn = new Map<string, number>();
  const runningOn = new Map<string, number>();
  for (const p of pods) {
    const node = p.spec.nodeName;
    if (!node) continue;
    if (p.status.phase === 'Running') runningOn.set(node, (runningOn.get(node) ?? 0) + 1);
    if (!isDaemon(p) && podReady(p) && reportingNames.has(node)) workloadOn.set(node, (workloadOn.get(node) ?? 0) + 1);
  }
  const serving = workloadOn.size;
  const perNode = serving ? (demand * Math.max(1, servedBy)) / serving : 0;
  const byNs = new Map<string, { ready: number; notReady: number }>();
  for (const p of pods) {
    if (p.status.phase === 'Succeeded' || p.status.phase === 'Failed') continue;
    const ns = p.metadata.namespace ?? 'default';
    const c = byNs.get(ns) ?? { ready: 0, notReady: 0 };
    if (podReady(p) && (!p.spec.nodeName || reportingNames.has(p.spec.nodeName))) c.ready += 1;
    else c.notReady += 1;
    byNs.set(ns, c);
  }
  const podPoints: Point[] = [];
  for (const [ns, c] of [...byNs].sort(([a], [b]) => a.localeCompare(b))) {
    podPoints.push({ dims: { namespace: ns, pod: '', condition: 'true' }, value: c.ready });
    podPoints.push({ dims: { namespace: ns, pod: '', condition: 'false' }, value: c.notReady });
  }
  return {
    nodes: nodes.map((n) => {
      const name = n.metadata.name;
      const share = workloadOn.has(name) ? perNode : IDLE_CPU;
      return { name, pool: pool(n), zone: nodeZone(n), ready: ready(n), cpu: BASELINE_CPU + share, memory: BASELINE_MEMORY + (runningOn.get(name) ?? 0) * 1.6 + share * 0.2 };
    }),
    pods: podPoints,
    pending: pods.filter((p) => p.status.phase === 'Pending' && !p.spec.nodeName).length,
  };
}

/** What the cluster publishes for the minute starting at `at`. A node that is not Ready publishes no CPU or memory. */
export function sampleAt(snap: Snapshot, at: number): Sample {
  const minute = Math.floor(at / MINUTE);
  const reporting = snap.nodes.filter((n) => n.ready === 'True');
  return {
    at,
    byMetric: {
      node_cpu_usage_percentage: reporting.map((n) => ({ dims: { node: n.name, nodepool: n.pool }, value: round(clamp(n.cpu + wobble(n.name, minute))) })),
      node_memory_working_set_percentage: reporting.map((n) => ({ dims: { node: n.name, nodepool: n.pool }, value: round(clamp(n.memory + wobble(`${n.name}/m`, minute) / 2)) })),
      kube_node_status_condition: snap.nodes.map((n) => ({ dims: { condition: 'Ready', status: n.ready.toLowerCase(), node: n.name }, value: 1 })),
      kube_pod_status_ready: snap.pods,
      cluster_autoscaler_unschedulable_pods_count: [{ dims: {}, value: snap.pending }],
    },
    zones: Object.fromEntries(snap.nodes.map((n) => [n.name, n.zone])),
  };
}

/** The rolling history of one cluster: at most HISTORY_MINUTES samples, oldest first. */
export class MetricHistory {
  readonly samples: Sample[] = [];
  /** Nodes serving the demand when sampling began (the demand stays, whatever happens to the nodes). */
  private servedBy?: number;
  /** Percent of a node per node that served it at first (the load knob changes it). */
  demand = DEFAULT_DEMAND;

  /**
   * Samples every minute boundary up to `now` that has not been sampled; the
   * current minute is sampled again on every call until it is over (Azure's
   * latest point also fills in as the minute goes). Minutes that passed with no
   * call are filled with the state as it is now (the twin keeps no past state to
   * sample from), and the first call fills the last hour.
   */
  catchUp(cluster: TwinCluster, model: ClusterModel | undefined, now: number): void {
    const current = Math.floor(now / MINUTE) * MINUTE;
    if (this.samples.at(-1)?.at === current) this.samples.pop();
    const last = this.samples.at(-1)?.at;
    const from = last === undefined ? current - (HISTORY_MINUTES - 1) * MINUTE : last + MINUTE;
    if (from > current) return;
    if (cluster.power !== 'Running' || !model) {
      // A stopped cluster publishes nothing: the minutes pass with no points.
      for (let at = Math.max(from, current - (HISTORY_MINUTES - 1) * MINUTE); at <= current; at += MINUTE) this.push(emptySample(at));
      return;
    }
    this.servedBy ??= Math.max(1, servingNodes(model));
    const snap = snapshotCluster(model, this.servedBy, this.demand);
    for (let at = Math.max(from, current - (HISTORY_MINUTES - 1) * MINUTE); at <= current; at += MINUTE) this.push(sampleAt(snap, at));
  }

  private push(s: Sample): void {
    this.samples.push(s);
    if (this.samples.length > HISTORY_MINUTES) this.samples.splice(0, this.samples.length - HISTORY_MINUTES);
  }

  /** The cluster-level value of a metric at a sample: the average over nodes for percentages, the sum for counts. */
  static aggregate(s: Sample, metric: MetricName): number | undefined {
    const pts = s.byMetric[metric];
    if (!pts.length) return undefined;
    const sum = pts.reduce((a, p) => a + p.value, 0);
    return METRIC_INFO[metric].unit === 'Percent' ? round(sum / pts.length) : sum;
  }
}

function emptySample(at: number): Sample {
  return {
    at,
    byMetric: { node_cpu_usage_percentage: [], node_memory_working_set_percentage: [], kube_node_status_condition: [], kube_pod_status_ready: [], cluster_autoscaler_unschedulable_pods_count: [] },
    zones: {},
  };
}
