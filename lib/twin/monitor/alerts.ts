import { randomUUID } from 'node:crypto';
import type { TwinCluster } from '../seed';
import { MINUTE, type MetricName } from './metrics';

/**
 * The alert rules infra/ creates per cluster (infra/modules/aks/main.alerts.tf),
 * evaluated by the twin on its own state as Azure Monitor evaluates them: every
 * `frequency`, over the last `window`, the average of the metric against the
 * threshold. A met condition fires an alert (one per rule while it lasts); the
 * first evaluation that no longer meets it resolves it.
 *
 * Like every duration on the twin, the cadence runs at the twin's speed: at
 * speed 60 a rule evaluates every 5 s over the last 15 s (5 and 15 minutes on
 * Azure), on one observation per twin minute. Azure waits for three healthy
 * evaluations before it resolves a metric alert; the twin resolves at the first.
 */

export interface RuleDef {
  kind: 'metric' | 'log';
  name: (key: string) => string;
  description: string;
  severity: number;
  frequencyMin: number;
  windowMin: number;
  metric?: MetricName;
  threshold: number;
}

export const RULES: RuleDef[] = [
  { kind: 'metric', name: (k) => `alert-cpu-${k}`, description: 'Node CPU above 90 %', severity: 2, frequencyMin: 5, windowMin: 15, metric: 'node_cpu_usage_percentage', threshold: 90 },
  { kind: 'metric', name: (k) => `alert-memory-${k}`, description: 'Node working-set memory above 90 %', severity: 2, frequencyMin: 5, windowMin: 15, metric: 'node_memory_working_set_percentage', threshold: 90 },
  { kind: 'log', name: (k) => `alert-crashloop-${k}`, description: '', severity: 2, frequencyMin: 5, windowMin: 15, threshold: 0 },
];

export interface FiredAlert {
  id: string;
  rule: string;
  kind: 'metric' | 'log';
  clusterKey: string;
  severity: number;
  description: string;
  startedAt: number;
  resolvedAt?: number;
  modifiedAt: number;
}

/** Fired alerts kept (Azure keeps 30 days; the twin a bounded number). */
const MAX_ALERTS = 200;

/** One observation of a cluster: the cluster-level values the rules read. */
export interface Observation {
  at: number;
  values: Partial<Record<MetricName, number>>;
  crashLooping: number;
}

export class AlertBook {
  readonly alerts: FiredAlert[] = [];
  private observations = new Map<string, Observation[]>();
  private lastEvaluation = new Map<string, number>();

  /**
   * Records an observation when a twin minute has passed since the last one,
   * and runs the evaluations that fell due. `duration` compresses Azure's times.
   */
  tick(cluster: TwinCluster, observe: () => Observation, now: number, duration: (ms: number) => number): void {
    const list = this.observations.get(cluster.key) ?? [];
    this.observations.set(cluster.key, list);
    const longest = Math.max(...RULES.map((r) => r.windowMin));
    if (!list.length || now - list[list.length - 1].at >= duration(MINUTE)) {
      list.push(observe());
      while (list.length && list[0].at < now - duration(longest * MINUTE) - duration(MINUTE)) list.shift();
    }
    for (const rule of RULES) {
      const name = rule.name(cluster.key);
      const last = this.lastEvaluation.get(name);
      if (last !== undefined && now - last < duration(rule.frequencyMin * MINUTE)) continue;
      this.lastEvaluation.set(name, now);
      const inWindow = list.filter((o) => o.at > now - duration(rule.windowMin * MINUTE));
      let met: boolean;
      if (rule.kind === 'metric') {
        const vs = inWindow.map((o) => o.values[rule.metric!]).filter((v): v is number => v !== undefined);
        met = vs.length > 0 && vs.reduce((a, v) => a + v, 0) / vs.length > rule.threshold;
      } else {
        met = inWindow.some((o) => o.crashLooping > rule.threshold);
      }
      this.apply(rule, cluster, name, met, now);
    }
  }

  private apply(rule: RuleDef, cluster: TwinCluster, name: string, met: boolean, at: number): void {
    const open = this.alerts.find((a) => a.rule === name && a.resolvedAt === undefined);
    if (met && !open) {
      this.alerts.push({ id: randomUUID(), rule: name, kind: rule.kind, clusterKey: cluster.key, severity: rule.severity, description: rule.description || `Containers in CrashLoopBackOff on ${cluster.name}`, startedAt: at, modifiedAt: at });
      if (this.alerts.length > MAX_ALERTS) this.alerts.splice(0, this.alerts.length - MAX_ALERTS);
    } else if (!met && open) {
      open.resolvedAt = at;
      open.modifiedAt = at;
    }
  }
}
