/**
 * The topology model: clusters × zones × pools, mapped once from ARM's
 * managedCluster and agentPool shapes. Pure: no I/O.
 */
export const ZONES = ['1', '2', '3'] as const;
export type Zone = (typeof ZONES)[number];

/** The subset of ARM's managedCluster the model reads (SDK type ManagedCluster is assignable). */
export interface ArmCluster {
  name?: string;
  sku?: { tier?: string };
  provisioningState?: string;
  powerState?: { code?: string };
  kubernetesVersion?: string;
  currentKubernetesVersion?: string;
  nodeProvisioningProfile?: { mode?: string; defaultNodePools?: string };
  apiServerAccessProfile?: { enablePrivateCluster?: boolean };
  networkProfile?: { networkPlugin?: string; networkPluginMode?: string; networkDataplane?: string };
  serviceMeshProfile?: { mode?: string; istio?: { revisions?: string[] } };
}

export interface ArmAgentPool {
  name?: string;
  count?: number;
  vmSize?: string;
  mode?: string;
  availabilityZones?: string[];
  scaleSetPriority?: string;
  enableAutoScaling?: boolean;
  minCount?: number;
  maxCount?: number;
  nodeLabels?: Record<string, string>;
  nodeTaints?: string[];
  powerState?: { code?: string };
  provisioningState?: string;
}

export type PowerState = 'Running' | 'Stopped' | 'Unknown';

export interface PoolView {
  name: string;
  /** `agentPool`: an ARM agent pool. `nodeAutoProvisioning`: capacity that NAP (Karpenter) creates. */
  source: 'agentPool' | 'nodeAutoProvisioning';
  mode: 'System' | 'User';
  vmSize: string | null;
  priority: 'Regular' | 'Spot';
  zones: string[];
  /** Total nodes per ARM, or null where ARM does not know (NAP nodes live only in Kubernetes). */
  count: number | null;
  /** Nodes per zone as configured: AKS spreads a zonal pool evenly; ARM reports only the total. */
  perZone: Record<Zone, number | null>;
  /**
   * Nodes per zone as the cluster reports them (its nodes' zone labels, Ready or not); absent
   * when only ARM was read (a stopped or unreachable cluster), and then `perZone` is shown as configuration.
   */
  liveZones?: Record<Zone, { ready: number; notReady: number }>;
  autoscale: { min: number; max: number } | null;
  labels: Record<string, string>;
  taints: string[];
  note?: string;
}

export interface PowerAction {
  allowed: boolean;
  reason?: string;
}

export interface ClusterView {
  name: string;
  tier: string;
  powerState: PowerState;
  provisioningState: string;
  kubernetesVersion: string | null;
  nodeProvisioningMode: 'Auto' | 'Manual' | 'None';
  privateCluster: boolean;
  network: string;
  /** The Istio add-on's revisions (empty without the add-on). */
  meshRevisions?: string[];
  pools: PoolView[];
  busy: boolean;
  stop: PowerAction;
  start: PowerAction;
}

/** Even spread of `count` nodes over the pool's zones, the way AKS balances zonal VMSS. */
export function spreadAcrossZones(count: number, zones: readonly string[]): Record<Zone, number | null> {
  const result = { '1': 0, '2': 0, '3': 0 } as Record<Zone, number | null>;
  const used = ZONES.filter((z) => zones.includes(z));
  if (used.length === 0) return { '1': null, '2': null, '3': null };
  used.forEach((z, i) => {
    result[z] = Math.floor(count / used.length) + (i < count % used.length ? 1 : 0);
  });
  return result;
}

export function toPoolView(p: ArmAgentPool): PoolView {
  const zones = p.availabilityZones ?? [];
  const count = p.count ?? 0;
  return {
    name: p.name ?? '?',
    source: 'agentPool',
    mode: p.mode === 'System' ? 'System' : 'User',
    vmSize: p.vmSize ?? null,
    priority: p.scaleSetPriority === 'Spot' ? 'Spot' : 'Regular',
    zones,
    count,
    perZone: spreadAcrossZones(count, zones),
    autoscale: p.enableAutoScaling ? { min: p.minCount ?? 0, max: p.maxCount ?? 0 } : null,
    labels: p.nodeLabels ?? {},
    taints: p.nodeTaints ?? [],
  };
}

/** NAP's NodePool is Spot only over zones 1–3. */
export function napWorkerPool(): PoolView {
  return {
    name: 'worker',
    source: 'nodeAutoProvisioning',
    mode: 'User',
    vmSize: 'Standard_D2s_v5',
    priority: 'Spot',
    zones: ['1', '2', '3'],
    count: null,
    perZone: { '1': null, '2': null, '3': null },
    autoscale: null,
    labels: { 'karpenter.sh/capacity-type': 'spot' },
    taints: [],
    note: 'Node auto-provisioning (Karpenter NodePool, Spot only): its nodes are not ARM agent pools, so ARM does not count them.',
  };
}

export const NAP_STOP_REASON =
  'AKS cannot stop a cluster that uses node auto-provisioning (nodeProvisioningProfile.mode = Auto): AKS answers OperationNotAllowed (Stop and start an AKS cluster, learn.microsoft.com/azure/aks/start-stop-cluster). Such a cluster can only be put to sleep.';

export function powerActions(c: Pick<ClusterView, 'powerState' | 'provisioningState' | 'nodeProvisioningMode'>): {
  busy: boolean;
  stop: PowerAction;
  start: PowerAction;
} {
  const busy = c.provisioningState === 'Stopping' || c.provisioningState === 'Starting';
  if (busy) {
    const reason = `An operation is in progress (${c.provisioningState}).`;
    return { busy, stop: { allowed: false, reason }, start: { allowed: false, reason } };
  }
  const stop: PowerAction =
    c.nodeProvisioningMode === 'Auto'
      ? { allowed: false, reason: NAP_STOP_REASON }
      : c.powerState === 'Stopped'
        ? { allowed: false, reason: 'The cluster is already stopped.' }
        : { allowed: true };
  const start: PowerAction =
    c.powerState === 'Running' ? { allowed: false, reason: 'The cluster is already running.' } : { allowed: true };
  return { busy, stop, start };
}

export function toClusterView(cluster: ArmCluster, agentPools: ArmAgentPool[]): ClusterView {
  const mode = cluster.nodeProvisioningProfile?.mode;
  const nodeProvisioningMode = mode === 'Auto' ? 'Auto' : mode === 'Manual' ? 'Manual' : 'None';
  const code = cluster.powerState?.code;
  const powerState: PowerState = code === 'Running' || code === 'Stopped' ? code : 'Unknown';
  const pools = agentPools.map(toPoolView);
  if (nodeProvisioningMode === 'Auto' && !pools.some((p) => p.name === 'worker')) pools.push(napWorkerPool());
  const order = (p: PoolView) => (p.mode === 'System' ? 0 : p.name === 'ingress' ? 1 : 2);
  pools.sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
  const np = cluster.networkProfile;
  const base = {
    name: cluster.name ?? '?',
    tier: cluster.sku?.tier ?? 'unknown',
    powerState,
    provisioningState: cluster.provisioningState ?? 'Unknown',
    kubernetesVersion: cluster.currentKubernetesVersion ?? cluster.kubernetesVersion ?? null,
    nodeProvisioningMode,
    privateCluster: cluster.apiServerAccessProfile?.enablePrivateCluster === true,
    network: [np?.networkPlugin, np?.networkPluginMode, np?.networkDataplane].filter(Boolean).join(' / '),
    meshRevisions: cluster.serviceMeshProfile?.mode === 'Istio' ? (cluster.serviceMeshProfile.istio?.revisions ?? []) : [],
    pools,
  } as const;
  return { ...base, ...powerActions(base) };
}
