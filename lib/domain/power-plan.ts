/**
 * Power plans: what powering a cluster down or up does, computed
 * from its live state. Pure: no I/O. The executor (lib/power/sleep.ts) runs
 * the steps; each step names the documented lever it uses (README "Sleep and
 * wake").
 *
 * AKS refuses `stop` on a cluster whose nodeProvisioningProfile.mode is Auto,
 * so such a cluster is put to *sleep* instead of stopped: workloads that
 * keep NAP's Spot nodes busy are scaled to 0 (their replicas remembered), the
 * Karpenter NodePool is frozen through its limits, consolidation removes the
 * empty Spot nodes, the ingress pool goes to 0 and the system pool to its
 * minimum through ARM. Waking runs the reverse order with readiness checks.
 */
import type { ClusterPowerState } from './cost';

export type Direction = 'down' | 'up';
/** What a cluster does between sessions. */
export type ClusterStrategy = 'full-stop' | 'sleep' | 'sleep-free';
export type ClusterPhase = 'running' | 'stopped' | 'asleep' | 'partially-asleep' | 'busy' | 'unknown';

/**
 * The frozen NodePool limit. Karpenter documents that it launches no node that
 * would take the NodePool over `spec.limits`; what a limit of "0" means is not
 * documented (Azure/AKS#5356), so the freeze uses a limit below one node's
 * capacity (1 vCPU; the NodePool's only size, D2s_v5, has 2): with no NAP node
 * left, any launch would exceed it.
 */
export const FROZEN_NAP_LIMITS: Record<string, string> = { cpu: '1' };
export const NAP_NODEPOOL = 'spot-workers';

export interface LivePool {
  name: string;
  mode: 'System' | 'User';
  count: number;
  enableAutoScaling: boolean;
  minCount?: number;
  provisioningState?: string;
}

export interface LiveWorkload {
  namespace: string;
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  replicas: number;
}

export interface LiveCluster {
  key: string;
  nodeProvisioningMode: 'Auto' | 'Manual' | 'None';
  powerState: 'Running' | 'Stopped' | 'Unknown';
  provisioningState: string;
  tier: string;
  /** ARM agent pools (NAP capacity is not one). */
  pools: LivePool[];
  /** The Karpenter NodePool and its nodes; null when the Kubernetes API could not be read. */
  nap: { limits: Record<string, string>; nodes: number } | null;
  /** Deployments/StatefulSets that keep NAP (Spot) nodes busy. */
  workloads: LiveWorkload[];
}

/** What a sleep remembers so that wake restores it (persisted with the run). */
export interface SleepMemory {
  tier: string;
  pools: Record<string, number>;
  napLimits: Record<string, string> | null;
  /** `namespace/Kind/name` → replicas before the sleep. */
  replicas: Record<string, number>;
}

export type StepAction =
  | { type: 'aks-stop' }
  | { type: 'aks-start' }
  | { type: 'freeze-nap'; nodePool: string }
  | { type: 'scale-workloads-to-zero' }
  | { type: 'await-nap-empty'; nodePool: string }
  | { type: 'scale-pool'; pool: string; count: number }
  | { type: 'set-tier'; tier: 'Free' | 'Standard' }
  | { type: 'await-nodes-ready' }
  | { type: 'thaw-nap'; nodePool: string }
  | { type: 'restore-workloads' }
  | { type: 'await-ready' };

export interface PlanStep {
  id: string;
  action: StepAction;
  label: string;
  /** The documentation the lever comes from (README lists them). */
  doc: string;
}

export interface ClusterPlan {
  key: string;
  direction: Direction;
  strategy: ClusterStrategy;
  phase: ClusterPhase;
  /** none: already in the target state (idempotent no-op) or not possible now (see reason). */
  action: 'stop' | 'start' | 'sleep' | 'wake' | 'none';
  reason: string;
  steps: PlanStep[];
  /** The cost model's state once the plan has run. */
  targetState: ClusterPowerState;
  /** Twin/AKS time the plan takes, roughly (minutes). */
  minutes: number;
}

export const DOCS = {
  startStop: 'AKS: Stop and start an AKS cluster (learn.microsoft.com/azure/aks/start-stop-cluster)',
  napLimits: 'Karpenter: NodePools, spec.limits (karpenter.sh/docs/concepts/nodepools/#speclimits); AKS NAP: node pool configuration (learn.microsoft.com/azure/aks/node-autoprovision-node-pools)',
  consolidation: 'Karpenter: Disruption, consolidation of empty nodes after consolidateAfter (karpenter.sh/docs/concepts/disruption/)',
  scaleSubresource: 'Kubernetes: the scale subresource (kubernetes.io/docs/reference/kubernetes-api/…/scale); kube-green: sleep by scaling to 0 and restoring the recorded replicas (kube-green.dev/docs)',
  poolScale: 'AKS: Manage node pools — scale a node pool manually; user pools to 0, system pools at least 1 (learn.microsoft.com/azure/aks/manage-node-pools, scale-cluster)',
  tier: 'AKS: Free, Standard and Premium pricing tiers — update an existing cluster between Free and Standard (learn.microsoft.com/azure/aks/free-standard-pricing-tiers)',
  readiness: 'Kubernetes: Node Ready condition, Deployment availableReplicas (kubernetes.io/docs/concepts/architecture/nodes/#condition)',
} as const;

/** How long each step takes, roughly, in minutes (AKS docs: start ≈ 4, stop up to 10; scale a few). */
const STEP_MINUTES: Record<StepAction['type'], number> = {
  'aks-stop': 6, 'aks-start': 4, 'freeze-nap': 0.1, 'scale-workloads-to-zero': 0.2, 'await-nap-empty': 1,
  'scale-pool': 3, 'set-tier': 2, 'await-nodes-ready': 2, 'thaw-nap': 0.1, 'restore-workloads': 0.2, 'await-ready': 2,
};

export const workloadKey = (w: Pick<LiveWorkload, 'namespace' | 'kind' | 'name'>) => `${w.namespace}/${w.kind}/${w.name}`;

const busyStates = new Set(['Stopping', 'Starting', 'Updating', 'Scaling', 'Upgrading', 'Creating', 'Deleting']);

/** The minimum a System pool keeps while asleep (AKS: system pools keep at least one node). */
export function systemMinimum(p: LivePool): number {
  return Math.max(1, p.minCount ?? 1);
}

/** The pools sleep shrinks (manually scaled; autoscaled pools follow their own minimum) and to what. */
function sleepTargets(c: LiveCluster): { pool: LivePool; count: number }[] {
  return c.pools
    .filter((p) => !p.enableAutoScaling)
    .map((p) => ({ pool: p, count: p.mode === 'System' ? systemMinimum(p) : 0 }))
    // User pools first (ingress), then the system pool, which takes the add-ons last.
    .sort((a, b) => (a.pool.mode === b.pool.mode ? a.pool.name.localeCompare(b.pool.name) : a.pool.mode === 'User' ? -1 : 1));
}

export function isNapFrozen(limits: Record<string, string> | undefined | null): boolean {
  return !!limits && Object.entries(FROZEN_NAP_LIMITS).every(([k, v]) => limits[k] === v);
}

/**
 * Where a cluster stands, from ARM and Kubernetes and the memory of a sleep
 * that no completed wake has followed (null once woken).
 */
export function clusterPhase(c: LiveCluster, memory: SleepMemory | null): ClusterPhase {
  if (c.powerState === 'Unknown') return 'unknown';
  if (busyStates.has(c.provisioningState) || c.pools.some((p) => p.provisioningState && busyStates.has(p.provisioningState))) return 'busy';
  if (c.powerState === 'Stopped') return 'stopped';
  if (c.nodeProvisioningMode !== 'Auto') return 'running';
  const frozen = c.nap ? isNapFrozen(c.nap.limits) : false;
  // Without a record of a sleep, an unfrozen NodePool means nobody put the cluster to sleep.
  if (!memory && !frozen) return 'running';
  const signals: boolean[] = [];
  if (c.nap) signals.push(frozen);
  for (const { pool, count } of sleepTargets(c)) {
    // A system pool at its minimum is asleep only if a sleep recorded it larger.
    if (pool.mode === 'System' && !(memory && (memory.pools[pool.name] ?? 0) > count)) continue;
    signals.push(pool.count === count);
  }
  const on = signals.filter(Boolean).length;
  if (on === 0) return 'running';
  return on === signals.length ? 'asleep' : 'partially-asleep';
}

export function strategyFor(c: Pick<LiveCluster, 'nodeProvisioningMode'>, freeTierWhileAsleep: boolean): ClusterStrategy {
  return c.nodeProvisioningMode === 'Auto' ? (freeTierWhileAsleep ? 'sleep-free' : 'sleep') : 'full-stop';
}

function step(id: string, action: StepAction, label: string, doc: string): PlanStep {
  return { id, action, label, doc };
}

const minutesOf = (steps: PlanStep[]) => Math.round(steps.reduce((s, x) => s + STEP_MINUTES[x.action.type], 0) * 10) / 10;

/** The sleep sequence from a cluster's live state (steps already done are still listed: each is idempotent). */
export function sleepSteps(c: LiveCluster, freeTier: boolean): PlanStep[] {
  const steps: PlanStep[] = [
    step('freeze-nap', { type: 'freeze-nap', nodePool: NAP_NODEPOOL }, `Freeze NAP: NodePool ${NAP_NODEPOOL} limits → cpu ${FROZEN_NAP_LIMITS.cpu} (no new Spot node; previous limits remembered)`, DOCS.napLimits),
    step('scale-workloads', { type: 'scale-workloads-to-zero' }, `Scale ${c.workloads.length} workload(s) on Spot nodes to 0, remembering their replicas (${c.workloads.map(workloadKey).join(', ') || 'none now'})`, DOCS.scaleSubresource),
    step('await-nap-empty', { type: 'await-nap-empty', nodePool: NAP_NODEPOOL }, 'Wait for consolidation to remove the empty Spot nodes', DOCS.consolidation),
  ];
  for (const { pool, count } of sleepTargets(c)) {
    steps.push(step(`scale-pool-${pool.name}`, { type: 'scale-pool', pool: pool.name, count }, `Scale ${pool.mode === 'System' ? 'system' : 'user'} pool ${pool.name} ${pool.count} → ${count}`, DOCS.poolScale));
  }
  if (freeTier) steps.push(step('tier-free', { type: 'set-tier', tier: 'Free' }, 'Move the control plane to the Free tier (no uptime SLA while asleep)', DOCS.tier));
  return steps;
}

/** The wake sequence: the reverse order, with readiness checks. */
export function wakeSteps(c: LiveCluster, memory: SleepMemory | null): PlanStep[] {
  const steps: PlanStep[] = [];
  const tier = memory?.tier ?? 'Standard';
  if (c.tier !== tier && (tier === 'Standard' || tier === 'Free')) {
    steps.push(step(`tier-${tier.toLowerCase()}`, { type: 'set-tier', tier }, `Move the control plane back to the ${tier} tier`, DOCS.tier));
  }
  const shrinkable = sleepTargets(c).reverse();
  for (const { pool } of shrinkable) {
    const count = memory?.pools[pool.name] ?? DEFAULT_AWAKE_COUNT;
    steps.push(step(`scale-pool-${pool.name}`, { type: 'scale-pool', pool: pool.name, count }, `Scale pool ${pool.name} ${pool.count} → ${count}${memory ? '' : ' (no record of the sleep: the pool\'s deployed size)'}`, DOCS.poolScale));
  }
  steps.push(step('await-nodes', { type: 'await-nodes-ready' }, 'Wait until every agent-pool node is Ready', DOCS.readiness));
  steps.push(step('thaw-nap', { type: 'thaw-nap', nodePool: NAP_NODEPOOL }, `Restore NodePool ${NAP_NODEPOOL} limits${memory?.napLimits ? ` (${Object.entries(memory.napLimits).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`, DOCS.napLimits));
  steps.push(step('restore-workloads', { type: 'restore-workloads' }, `Restore the remembered replicas (${Object.keys(memory?.replicas ?? {}).length} workload(s))`, DOCS.scaleSubresource));
  steps.push(step('await-ready', { type: 'await-ready' }, 'Wait until nodes are Ready, add-ons Running and the ingress gateway answering', DOCS.readiness));
  return steps;
}

/** System and ingress pools have 3 nodes as deployed; used when a wake finds no record of the sleep. */
export const DEFAULT_AWAKE_COUNT = 3;

export interface PlanOptions {
  /** Sleep on the Free tier (strategy sleep-free). */
  freeTierWhileAsleep: boolean;
}

/** One cluster's plan to power down or up. */
export function planCluster(c: LiveCluster, direction: Direction, memory: SleepMemory | null, options: PlanOptions): ClusterPlan {
  const strategy = strategyFor(c, options.freeTierWhileAsleep);
  const phase = clusterPhase(c, memory);
  const base = { key: c.key, direction, strategy, phase };
  const none = (reason: string, targetState: ClusterPowerState): ClusterPlan => ({ ...base, action: 'none', reason, steps: [], targetState, minutes: 0 });
  const asleepState: ClusterPowerState = strategy === 'sleep-free' ? 'asleep-free' : 'asleep';
  if (phase === 'unknown') return none('The cluster state could not be read.', direction === 'down' ? 'awake' : 'stopped');
  if (phase === 'busy') return none(`An operation is in progress (${c.provisioningState}); try again when it has finished.`, 'awake');

  if (strategy === 'full-stop') {
    if (direction === 'down') {
      if (phase === 'stopped') return none('Already stopped.', 'stopped');
      const steps = [step('aks-stop', { type: 'aks-stop' }, 'AKS stop: deallocate every node; AKS keeps the cluster state', DOCS.startStop)];
      return { ...base, action: 'stop', reason: 'Node provisioning is Manual: AKS can stop this cluster.', steps, targetState: 'stopped', minutes: minutesOf(steps) };
    }
    if (phase !== 'stopped') return none('Already running.', 'awake');
    const steps = [step('aks-start', { type: 'aks-start' }, 'AKS start: the nodes come back with the same configuration', DOCS.startStop)];
    return { ...base, action: 'start', reason: 'The cluster is stopped.', steps, targetState: 'awake', minutes: minutesOf(steps) };
  }

  // Node auto-provisioning (mode Auto): AKS refuses stop, so sleep.
  if (phase === 'stopped') {
    return direction === 'up'
      ? { ...base, action: 'start', reason: 'The cluster is stopped.', steps: [step('aks-start', { type: 'aks-start' }, 'AKS start', DOCS.startStop)], targetState: 'awake', minutes: 4 }
      : none('Already stopped.', 'stopped');
  }
  if (direction === 'down') {
    if (phase === 'asleep' && (strategy === 'sleep' || c.tier === 'Free')) return none('Already asleep.', asleepState);
    const steps = sleepSteps(c, strategy === 'sleep-free');
    const reason =
      phase === 'partially-asleep'
        ? 'Partially asleep: the sequence is run again; each step skips what is already done.'
        : 'Node auto-provisioning (mode Auto): AKS cannot stop this cluster, so it is put to sleep.';
    return { ...base, action: 'sleep', reason, steps, targetState: asleepState, minutes: minutesOf(steps) };
  }
  if (phase === 'running' && !memory) return none('Already awake.', 'awake');
  const steps = wakeSteps(c, memory);
  return { ...base, action: 'wake', reason: phase === 'running' ? 'Awake, finishing the wake that was recorded.' : `The cluster is ${phase.replace('-', ' ')}.`, steps, targetState: 'awake', minutes: minutesOf(steps) };
}

/** The memory a sleep records from the live state before it changes anything (merged with an earlier partial record). */
export function memoryBeforeSleep(c: LiveCluster, previous: SleepMemory | null): SleepMemory {
  const pools: Record<string, number> = { ...previous?.pools };
  for (const p of c.pools) if (pools[p.name] === undefined) pools[p.name] = p.count;
  const replicas: Record<string, number> = { ...previous?.replicas };
  for (const w of c.workloads) if (replicas[workloadKey(w)] === undefined && w.replicas > 0) replicas[workloadKey(w)] = w.replicas;
  const napLimits = previous?.napLimits ?? (c.nap && !isNapFrozen(c.nap.limits) ? c.nap.limits : null);
  return { tier: previous?.tier ?? c.tier, pools, napLimits, replicas };
}

/**
 * "Switch NAP off, then stop": AKS documents disabling node auto-provisioning
 * on an existing cluster (`az aks update --node-provisioning-mode Manual`,
 * "Enable or disable node auto-provisioning"), after which stop is allowed.
 * Offered as an option with its time and risk; not run automatically.
 */
export const NAP_OFF_OPTION = {
  id: 'nap-off-then-stop',
  label: 'Switch NAP off (mode Manual), then AKS stop; on wake start, switch NAP back on, re-apply the NodePool',
  minutes: 25,
  risks: [
    'The NodePool and AKSNodeClass objects and every NAP node must be removed first; the NodePool must be re-applied (Flux) after NAP is switched back on.',
    'Two cluster updates per night on top of stop/start (≈ 10 min each): a failed update leaves the cluster without NAP until someone fixes it.',
    'AKS documents switching the mode, not doing it every night; the start/stop support for NAP clusters is still an open request (Azure/AKS#5356).',
  ],
  doc: 'AKS: Enable or disable node auto-provisioning (learn.microsoft.com/azure/aks/use-node-auto-provisioning)',
} as const;
