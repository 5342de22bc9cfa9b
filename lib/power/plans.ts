import 'server-only';
import { getConfig, CLUSTER_KEYS, type ClusterKey, clusterRef } from '../config';
import { informers, type ClusterInformer, type KindName } from '../k8s/informer';
import { translateKubernetesError } from '../errors';
import { getTopology, type TopologySnapshot } from '../topology';
import { livePrices, toCostTopology } from '../topology/cost-topology';
import { clusterLines, commonLines, sumPerHour, type ClusterPowerState, type CostCluster, type PriceSheet } from '../domain/cost';
import { NAP_NODEPOOL, NAP_OFF_OPTION, planCluster, type ClusterPlan, type LiveCluster, type SleepMemory } from '../domain/power-plan';
import { toUserError } from '../errors';
import { getDb } from '../db';
import { listPowerRuns, NAP_LABEL, openSleepMemory, runsOnSpot, type PowerRunView } from './sleep';

/**
 * What the overview shows before anyone powers anything down: each cluster's
 * plan both ways (from its live state: ARM through the shared topology read,
 * Kubernetes through a shared read), and what it saves per hour according to
 * the cost model (lib/domain/cost.ts, list prices — modelled, not billed).
 */
export interface ClusterPowerView {
  key: ClusterKey;
  name: string;
  down: ClusterPlan | null;
  downFree: ClusterPlan | null;
  up: ClusterPlan | null;
  /** Awake rate (with the pool counts a sleep remembered, if asleep) and the rate in each idle state. */
  awakePerHour: number;
  perHour: Partial<Record<ClusterPowerState, number>>;
  error?: string;
  lastRun?: PowerRunView;
}

export interface PowerOverview {
  clusters: ClusterPowerView[];
  /** Saving per hour of the default power-down (sleep on Standard / stop) and of the Free-tier variant. */
  savingPerHour: number;
  savingPerHourFree: number;
  awakePerHour: number;
  bastion: { perHour: number };
  tearDown: { idlePerHour: number; overheadMinutes: number };
  napOff: typeof NAP_OFF_OPTION;
  runs: PowerRunView[];
  kubernetesAgeMs: number | null;
}

/** How long the plans wait for a cluster's cache to be listed before they show what ARM alone says. */
const K8S_WAIT_MS = 2_000;
const NAP_KINDS: KindName[] = ['nodes', 'nodepools', 'deployments', 'statefulsets'];

type NapState = Pick<LiveCluster, 'nap' | 'workloads'>;
const napStates = new WeakMap<ClusterInformer, { version: number; state: NapState | null }>();

/** The Kubernetes side of a NAP cluster (NodePool limits, NAP nodes, workloads on Spot) from its watch-fed cache. */
function napState(inf: ClusterInformer): NapState | null {
  const memo = napStates.get(inf);
  if (memo && memo.version === inf.version) return memo.state;
  const np = inf.get('nodepools', NAP_NODEPOOL);
  let state: NapState | null = null;
  if (np) {
    const workloads: LiveCluster['workloads'] = [];
    for (const d of inf.list('deployments')) if (runsOnSpot(d)) workloads.push({ namespace: d.metadata!.namespace!, kind: 'Deployment', name: d.metadata!.name!, replicas: d.spec?.replicas ?? 1 });
    for (const s of inf.list('statefulsets')) if (runsOnSpot(s)) workloads.push({ namespace: s.metadata!.namespace!, kind: 'StatefulSet', name: s.metadata!.name!, replicas: s.spec?.replicas ?? 1 });
    state = {
      nap: { limits: np.spec?.limits ?? {}, nodes: inf.list('nodes').filter((n) => n.metadata?.labels?.[NAP_LABEL] === NAP_NODEPOOL).length },
      workloads,
    };
  }
  napStates.set(inf, { version: inf.version, state });
  return state;
}

function liveFromTopology(t: TopologySnapshot, key: ClusterKey): LiveCluster | null {
  const tile = t.clusters.find((c) => c.key === key);
  const v = tile?.view;
  if (!v) return null;
  return {
    key,
    nodeProvisioningMode: v.nodeProvisioningMode,
    powerState: v.powerState,
    provisioningState: v.provisioningState,
    tier: v.tier,
    pools: v.pools.filter((p) => p.source === 'agentPool').map((p) => ({ name: p.name, mode: p.mode, count: p.count ?? 0, enableAutoScaling: p.autoscale !== null, minCount: p.autoscale?.min })),
    nap: null,
    workloads: [],
  };
}

/** The cluster as it is when awake: pool counts from the sleep's record where it shrank them. */
function awakeCostCluster(c: CostCluster, memory: SleepMemory | null): CostCluster {
  if (!memory) return c;
  return { ...c, tier: memory.tier === 'Free' ? 'Free' : 'Standard', pools: c.pools.map((p) => (p.source === 'agentPool' && memory.pools[p.name] !== undefined ? { ...p, count: memory.pools[p.name] } : p)) };
}

const rate = (c: CostCluster, s: ClusterPowerState, p: PriceSheet) => sumPerHour(clusterLines(c, s, p));

export async function getPowerOverview(): Promise<PowerOverview> {
  const config = getConfig();
  // The ARM read (shared with the overview's own, coalesced) and the database read go together.
  const [topology, runs, live] = await Promise.all([getTopology(), listPowerRuns(12), livePrices()]);
  const p = live.sheet;
  const costTopology = toCostTopology(topology, config.commonResourceGroup);
  let oldestK8s: number | null = null;
  const clusters = await Promise.all(
    CLUSTER_KEYS.map(async (key): Promise<ClusterPowerView> => {
      const name = clusterRef(key).name;
      const live = liveFromTopology(topology, key);
      const empty = { key, name, down: null, downFree: null, up: null, awakePerHour: 0, perHour: {} };
      if (!live) return { ...empty, error: topology.clusters.find((c) => c.key === key)?.error?.message ?? 'cluster state unknown' };
      let error: string | undefined;
      if (live.nodeProvisioningMode === 'Auto' && live.powerState === 'Running') {
        const inf = await informers().read(key, NAP_KINDS, K8S_WAIT_MS);
        const st = inf.status(NAP_KINDS);
        const nap = st.syncedAt ? napState(inf) : null;
        if (nap) {
          live.nap = nap.nap;
          live.workloads = nap.workloads;
          oldestK8s = Math.min(oldestK8s ?? Infinity, st.state === 'ok' ? Date.now() : (st.failedAt ?? st.lastEventAt ?? Date.now()));
        }
        if (st.state !== 'ok') {
          const why = st.error ? toUserError(translateKubernetesError(st.error, name)).message : 'not listed yet';
          error = `Kubernetes API: ${why}${nap ? ' (showing the last answer)' : ''}`;
        } else if (!nap) error = `Kubernetes API: the NodePool ${NAP_NODEPOOL} was not found`;
      }
      const [memory, open] = await Promise.all([openSleepMemory(key), getDb().powerRun.findFirst({ where: { cluster: key, status: 'InProgress' } })]);
      const plan = (direction: 'down' | 'up', free: boolean) => {
        const pl = planCluster(live, direction, memory, { freeTierWhileAsleep: free });
        return open ? { ...pl, action: 'none' as const, phase: 'busy' as const, reason: `A ${open.direction} is in progress (started by ${open.actorName}).`, steps: [] } : pl;
      };
      const cost = costTopology.clusters.find((c) => c.key === key);
      const awake = cost ? awakeCostCluster(cost, memory) : null;
      const perHour: ClusterPowerView['perHour'] = {};
      if (awake) for (const s of ['awake', 'stopped', 'asleep', 'asleep-free', 'torn-down'] as const) perHour[s] = rate(awake, s, p);
      return {
        key, name, error,
        down: plan('down', false),
        downFree: live.nodeProvisioningMode === 'Auto' ? plan('down', true) : null,
        up: plan('up', false),
        awakePerHour: perHour.awake ?? 0,
        perHour,
        lastRun: runs.find((r) => r.cluster === key),
      };
    }),
  );
  const saving = (free: boolean) =>
    clusters.reduce((s, c) => {
      const pl = free ? (c.downFree ?? c.down) : c.down;
      const target = pl && pl.action !== 'none' ? pl.targetState : null;
      return s + (target ? c.awakePerHour - (c.perHour[target] ?? c.awakePerHour) : 0);
    }, 0);
  const allTornDown = { clusters: Object.fromEntries(costTopology.clusters.map((c) => [c.key, 'torn-down' as const])), bastion: false };
  return {
    clusters,
    savingPerHour: saving(false),
    savingPerHourFree: saving(true),
    awakePerHour: clusters.reduce((s, c) => s + c.awakePerHour, 0),
    bastion: { perHour: p.bastionPerHour + p.publicIpPerHour },
    tearDown: { idlePerHour: sumPerHour(commonLines(costTopology, allTornDown, p)), overheadMinutes: Math.round(p.teardownOverheadHours * 60) },
    napOff: NAP_OFF_OPTION,
    runs,
    kubernetesAgeMs: oldestK8s === null ? null : Date.now() - oldestK8s,
  };
}
