import { createHash } from 'node:crypto';
import type { ClusterModel } from '../k8s/model';
import type { K8sEvent, Pod } from '../k8s/types';
import { clusterQueries, EVENT_REASONS, ROW_LIMITS, type NamedQueryName } from '../../domain/kql';

/**
 * The twin's Log Analytics: it does not parse KQL. It answers the dashboard's
 * named queries (lib/monitor/kql.ts), matched exactly for one of its clusters,
 * from its Kubernetes event and pod history, in the query API's table shape;
 * any other text is refused as Log Analytics refuses a query it cannot run.
 */

export interface Column {
  name: string;
  type: 'datetime' | 'string' | 'long' | 'real' | 'int' | 'bool';
}
export interface Table {
  name: 'PrimaryResult';
  columns: Column[];
  rows: (string | number | boolean | null)[][];
}

export interface LogCluster {
  name: string;
  resourceId: string;
  model?: ClusterModel;
}

/** Which named query (and cluster) a text is, or undefined. */
export function matchQuery<C extends { name: string; resourceId: string }>(text: string, clusters: C[]): { name: NamedQueryName; cluster: C } | undefined {
  const norm = (s: string) => s.replace(/\r\n/g, '\n').trim();
  for (const cluster of clusters) {
    for (const q of clusterQueries(cluster)) if (norm(q.text) === norm(text)) return { name: q.name, cluster };
  }
  return undefined;
}

const iso = (t: number) => new Date(t).toISOString();
const isDemo = (p: Pod) => p.metadata.namespace === 'demo';

export function answer(name: NamedQueryName, cluster: LogCluster, from: number, to: number): Table {
  const model = cluster.model;
  if (name === 'kube-events') {
    const reasons = new Set<string>(EVENT_REASONS);
    const events = (model?.store.list<K8sEvent>('events') ?? [])
      .filter((e) => reasons.has(e.reason) && inRange(eventTime(e), from, to))
      .sort((a, b) => eventTime(b) - eventTime(a))
      .slice(0, ROW_LIMITS.events);
    return {
      name: 'PrimaryResult',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'Namespace', type: 'string' },
        { name: 'ObjectKind', type: 'string' },
        { name: 'Name', type: 'string' },
        { name: 'Reason', type: 'string' },
        { name: 'Message', type: 'string' },
        { name: 'KubeEventType', type: 'string' },
      ],
      rows: events.map((e) => [iso(eventTime(e)), e.involvedObject.namespace ?? '', e.involvedObject.kind, e.involvedObject.name, e.reason, e.message, e.type]),
    };
  }
  if (name === 'restarts-by-namespace') {
    const byNs = new Map<string, number>();
    for (const p of model?.pods() ?? []) {
      const ns = p.metadata.namespace ?? 'default';
      const restarts = (p.status.containerStatuses ?? []).reduce((a, c) => a + (c.restartCount ?? 0), 0);
      byNs.set(ns, (byNs.get(ns) ?? 0) + restarts);
    }
    const rows = [...byNs].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    return { name: 'PrimaryResult', columns: [{ name: 'Namespace', type: 'string' }, { name: 'Restarts', type: 'long' }], rows };
  }
  // demo-app-log-tail: what the demo's containers write, from each pod's start and then one access line a minute while it runs.
  const lines: [number, string, string, string, string][] = [];
  for (const p of (model?.pods() ?? []).filter(isDemo)) {
    const started = Date.parse(p.status.startTime ?? p.metadata.creationTimestamp ?? '');
    if (!Number.isFinite(started) || p.status.phase !== 'Running') continue;
    const container = p.spec.containers[0]?.name ?? 'app';
    if (inRange(started, from, to)) lines.push([started, p.metadata.name, container, 'INFO', 'Listening on port 80']);
    for (let t = Math.max(started + 60_000, Math.ceil(from / 60_000) * 60_000); t <= to; t += 60_000) {
      const ms = 2 + (createHash('sha256').update(`${p.metadata.name}:${t}`).digest()[0] % 20);
      lines.push([t, p.metadata.name, container, 'INFO', `GET / 200 ${ms}ms`]);
    }
  }
  lines.sort((a, b) => b[0] - a[0]);
  return {
    name: 'PrimaryResult',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'PodName', type: 'string' },
      { name: 'ContainerName', type: 'string' },
      { name: 'LogLevel', type: 'string' },
      { name: 'LogMessage', type: 'string' },
    ],
    rows: lines.slice(0, ROW_LIMITS.logTail).map(([t, ...rest]) => [iso(t), ...rest]),
  };
}

function eventTime(e: K8sEvent): number {
  return Date.parse(e.lastTimestamp || e.firstTimestamp || '');
}

function inRange(t: number, from: number, to: number): boolean {
  return Number.isFinite(t) && t >= from && t <= to;
}
