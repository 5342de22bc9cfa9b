import { environmentLines, sumPerHour, type ClusterPowerState, type EnvironmentPlan } from './cost-lines';
import type { PriceSheet } from './cost-prices';
import type { CostCluster, CostTopology } from './cost-topology';

/** Power-down strategies costed over a month: awake hours at the awake rate, the rest at the idle rate. */

export type StrategyId = 'always-on' | 'full-stop' | 'sleep' | 'sleep-free' | 'tear-down';

export interface Strategy {
  id: StrategyId;
  label: string;
  /** The state between sessions for a cluster, or why it is not possible. */
  idleState: (c: CostCluster) => ClusterPowerState | { impossible: string };
}

export const STRATEGIES: Strategy[] = [
  { id: 'always-on', label: 'No power-down (24/7)', idleState: () => 'awake' },
  {
    id: 'full-stop',
    label: 'Full AKS stop between sessions',
    idleState: (c) =>
      c.nodeProvisioningMode === 'Auto'
        ? { impossible: `${c.key} uses node auto-provisioning: AKS refuses to stop it` }
        : 'stopped',
  },
  { id: 'sleep', label: 'Sleep (system pool at minimum, ingress 0, no Spot)', idleState: () => 'asleep' },
  { id: 'sleep-free', label: 'Sleep on the Free tier (control plane free)', idleState: () => 'asleep-free' },
  { id: 'tear-down', label: 'Tear down between sessions (pattern A)', idleState: () => 'torn-down' },
];

/** The strategy a cluster really has: full stop where AKS allows it, sleep where it does not (node auto-provisioning). */
export function defaultIdleState(c: CostCluster): ClusterPowerState {
  return c.nodeProvisioningMode === 'Auto' ? 'asleep' : 'stopped';
}

export interface Schedule {
  /** Awake hours in the month (the spec's pattern C: 8 h × 20 days = 160). */
  awakeHoursPerMonth: number;
  /** Sessions per month (for tear-down overhead). */
  sessionsPerMonth: number;
}

export const SPEC_SCHEDULE: Schedule = { awakeHoursPerMonth: 160, sessionsPerMonth: 20 };

export interface StrategyCost {
  id: StrategyId;
  label: string;
  bastion: boolean;
  awakePerHour: number;
  idlePerHour: number;
  monthly: number;
  /** Why the strategy cannot be used as such on this topology (it is costed with the clusters it cannot stop left awake). */
  caveats: string[];
}

/** Monthly cost of a strategy on a schedule: awake hours at the awake rate, the rest at the idle rate. */
export function strategyCost(t: CostTopology, s: Strategy, schedule: Schedule, prices: PriceSheet, bastionWhenIdle: boolean): StrategyCost {
  const caveats: string[] = [];
  const idle: Record<string, ClusterPowerState> = {};
  for (const c of t.clusters) {
    const st = s.idleState(c);
    if (typeof st === 'string') idle[c.key] = st;
    else {
      caveats.push(st.impossible);
      idle[c.key] = 'awake';
    }
  }
  const awakePlan: EnvironmentPlan = { clusters: Object.fromEntries(t.clusters.map((c) => [c.key, 'awake'])), bastion: true };
  const idlePlan: EnvironmentPlan = { clusters: idle, bastion: s.id === 'tear-down' ? false : bastionWhenIdle };
  const awakePerHour = sumPerHour(environmentLines(t, awakePlan, prices));
  const idlePerHour = s.id === 'always-on' ? awakePerHour : sumPerHour(environmentLines(t, idlePlan, prices));
  const awakeHours =
    s.id === 'always-on'
      ? prices.hoursPerMonth
      : Math.min(prices.hoursPerMonth, schedule.awakeHoursPerMonth + (s.id === 'tear-down' ? schedule.sessionsPerMonth * prices.teardownOverheadHours : 0));
  const monthly = awakeHours * awakePerHour + (prices.hoursPerMonth - awakeHours) * idlePerHour;
  return { id: s.id, label: s.label, bastion: bastionWhenIdle, awakePerHour, idlePerHour, monthly, caveats };
}

export function compareStrategies(t: CostTopology, schedule: Schedule, prices: PriceSheet): StrategyCost[] {
  return STRATEGIES.flatMap((s) =>
    s.id === 'always-on' || s.id === 'tear-down'
      ? [strategyCost(t, s, schedule, prices, true)]
      : [strategyCost(t, s, schedule, prices, true), strategyCost(t, s, schedule, prices, false)],
  );
}
