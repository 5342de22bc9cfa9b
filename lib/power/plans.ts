import { getConfig, CLUSTER_KEYS, type ClusterKey, clusterRef } from '../config';
import { sharedReads } from '../cache/shared-read';
import { getKubeClients } from '../k8s';
import { getTopology, type TopologySnapshot } from '../topology';
import { prices, toCostTopology } from '../topology/cost-topology';
import { clusterLines, commonLines, sumPerHour, type ClusterPowerState, type CostCluster, type PriceSheet } from '../domain/cost';
import { NAP_OFF_OPTION, planCluster, type ClusterPlan, type LiveCluster, type SleepMemory } from '../domain/power-plan';
import { toUserError } from '../errors';
import { getDb } from '../db';
import { listPowerRuns, openSleepMemory, readNapState, type PowerRunView } from './sleep';

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

const K8S_KEY = (key: ClusterKey) => `power-k8s:${key}`;

export function invalidatePowerReads(key: ClusterKey): void {
  sharedReads().invalidate(K8S_KEY(key));
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
  const topology = await getTopology();
  const p = prices();
  const costTopology = toCostTopology(topology, config.commonResourceGroup);
  const runs = await listPowerRuns(12);
  let oldestK8s: number | null = null;
  const clusters = await Promise.all(
    CLUSTER_KEYS.map(async (key): Promise<ClusterPowerView> => {
      const name = clusterRef(key).name;
      const live = liveFromTopology(topology, key);
      const empty = { key, name, down: null, downFree: null, up: null, awakePerHour: 0, perHour: {} };
      if (!live) return { ...empty, error: topology.clusters.find((c) => c.key === key)?.error?.message ?? 'cluster state unknown' };
      let error: string | undefined;
      if (live.nodeProvisioningMode === 'Auto' && live.powerState === 'Running') {
        const r = await sharedReads().read(K8S_KEY(key), config.readCacheTtlMs, async () => readNapState(key, await getKubeClients(key)));
        if (r.value) {
          live.nap = r.value.nap;
          live.workloads = r.value.workloads;
          oldestK8s = Math.min(oldestK8s ?? Infinity, r.fetchedAt ?? Date.now());
        }
        if (r.error) error = `Kubernetes API: ${toUserError(r.error).message}${r.value ? ' (showing the last answer)' : ''}`;
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
