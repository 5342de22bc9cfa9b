import { z } from 'zod';

/**
 * The environment the twin starts with: the architecture's cluster spec and
 * resource groups, where Azure behaves otherwise as docs/azure-differences.md
 * says: Kubernetes 1.35 (a supported version), ingress pool labelled for the
 * Istio add-on without a taint, node auto-provisioning with defaultNodePools
 * None. Profile `manual` replaces NAP with a Spot user pool under the cluster
 * autoscaler, so that AKS stop/start works (AKS cannot stop a NAP cluster).
 */
export type TwinProfile = 'nap' | 'manual';

/**
 * How many times the architecture's size the twin seeds (`TWIN_SCALE`, or `scale` on a reset): each
 * pool's nodes, the Spot pool's and NodePool's limits and each workload's replicas are multiplied by it,
 * so pods per node stay as they are and nodes keep their spread over the zones. 1 is the architecture.
 */
export const twinScale = z.number({ error: 'the scale must be a whole number from 1 to 20' })
  .int('the scale must be a whole number from 1 to 20')
  .min(1, 'the scale must be at least 1 (the architecture\'s size)')
  .max(20, 'the scale must be at most 20 (twenty times the architecture\'s nodes and pods)');

/** TWIN_SCALE from the environment: absent means 1; anything else must be a whole number 1..20. */
export function parseTwinScale(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const parsed = twinScale.safeParse(Number(value));
  if (!parsed.success) throw new Error(`TWIN_SCALE: ${parsed.error.issues[0].message} (got "${value}")`);
  return parsed.data;
}

export interface TwinPool {
  name: string;
  mode: 'System' | 'User';
  vmSize: string;
  count: number;
  enableAutoScaling: boolean;
  minCount?: number;
  maxCount?: number;
  zones: string[];
  priority: 'Regular' | 'Spot';
  labels: Record<string, string>;
  taints: string[];
  /** While ARM scales the pool (agent pool PUT with a new count): `Scaling`. */
  provisioningState?: 'Succeeded' | 'Scaling' | 'Failed';
}

export interface TwinCluster {
  key: 'mgmt' | 'app1' | 'app2';
  name: string;
  resourceGroup: string;
  location: string;
  tier: 'Standard' | 'Free';
  kubernetesVersion: string;
  nodeProvisioningMode: 'Auto' | 'Manual';
  defaultNodePools?: 'None' | 'Auto';
  power: 'Running' | 'Stopped';
  provisioningState: 'Succeeded' | 'Stopping' | 'Starting' | 'Updating' | 'Failed';
  meshRevision?: string;
  /** Set by the `public-api-server` knob: the API server has a public endpoint (not a private cluster). */
  publicApiServer?: boolean;
  pools: TwinPool[];
  /**
   * The install.sh steps applied to this cluster (e.g. `05-kyverno`). Absent: the seeded,
   * fully installed environment; a cluster created by a simulated `tofu apply` starts with none.
   */
  installedSteps?: string[];
}

export interface TwinResourceGroup {
  name: string;
  location: string;
  managedBy?: string;
  tags?: Record<string, string>;
}

export interface TwinSeed {
  /** The multiplier it was seeded with (see `twinScale`). */
  scale: number;
  resourceGroups: TwinResourceGroup[];
  clusters: TwinCluster[];
}

export interface TwinNames {
  location: string;
  commonResourceGroup: string;
  clusters: { key: 'mgmt' | 'app1' | 'app2'; resourceGroup: string; name: string }[];
}

export const DEFAULT_NAMES: TwinNames = {
  location: 'koreacentral',
  commonResourceGroup: 'rg-k8s-demo-common',
  clusters: [
    { key: 'mgmt', resourceGroup: 'rg-k8s-demo-mgmt', name: 'aks-mgmt' },
    { key: 'app1', resourceGroup: 'rg-k8s-demo-app1', name: 'aks-app1' },
    { key: 'app2', resourceGroup: 'rg-k8s-demo-app2', name: 'aks-app2' },
  ],
};

const ZONES = ['1', '2', '3'];
const VM_SIZE = 'Standard_D2s_v5';
export const KUBERNETES_VERSION = '1.35.4';
export const MESH_REVISION = 'asm-1-30';

function systemPool(scale: number): TwinPool {
  return {
    name: 'system', mode: 'System', vmSize: VM_SIZE, count: 3 * scale, enableAutoScaling: false,
    zones: ZONES, priority: 'Regular', labels: {}, taints: [],
  };
}

function ingressPool(scale: number): TwinPool {
  // The Istio add-on places gateways by preferred affinity to this label; a taint would keep them off.
  return {
    name: 'ingress', mode: 'User', vmSize: VM_SIZE, count: 3 * scale, enableAutoScaling: false,
    zones: ZONES, priority: 'Regular',
    labels: { role: 'ingress', 'azureservicemesh/istio.replica.preferred': 'true' },
    taints: [],
  };
}

function spotWorkerPool(scale: number): TwinPool {
  // AKS adds the spot label and taint to every Spot pool itself.
  return {
    name: 'worker', mode: 'User', vmSize: VM_SIZE, count: 3 * scale, enableAutoScaling: true,
    minCount: 0, maxCount: 5 * scale, zones: ZONES, priority: 'Spot',
    labels: { 'kubernetes.azure.com/scalesetpriority': 'spot' },
    taints: ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule'],
  };
}

export function seedEnvironment(profile: TwinProfile, names: TwinNames = DEFAULT_NAMES, scale = 1): TwinSeed {
  const clusters: TwinCluster[] = names.clusters.map((ref) => {
    const pools = [systemPool(scale)];
    if (ref.key !== 'app2') pools.push(ingressPool(scale)); // the architecture gives ingress pools to mgmt and app1 only
    if (profile === 'manual') pools.push(spotWorkerPool(scale));
    return {
      key: ref.key,
      name: ref.name,
      resourceGroup: ref.resourceGroup,
      location: names.location,
      tier: 'Standard',
      kubernetesVersion: KUBERNETES_VERSION,
      nodeProvisioningMode: profile === 'nap' ? 'Auto' : 'Manual',
      defaultNodePools: profile === 'nap' ? 'None' : undefined,
      power: 'Running',
      provisioningState: 'Succeeded',
      meshRevision: ref.key === 'app2' ? undefined : MESH_REVISION,
      pools,
    };
  });
  const resourceGroups: TwinResourceGroup[] = [
    { name: names.commonResourceGroup, location: names.location, tags: { project: 'k8s-demo' } },
    ...names.clusters.map((c) => ({ name: c.resourceGroup, location: names.location, tags: { project: 'k8s-demo' } })),
    ...names.clusters.map((c) => ({
      name: nodeResourceGroup(c.resourceGroup, c.name, names.location),
      location: names.location,
      managedBy: `/subscriptions/{sub}/resourceGroups/${c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${c.name}`,
    })),
  ];
  return { scale, resourceGroups, clusters };
}

export function nodeResourceGroup(rg: string, cluster: string, location: string): string {
  return `MC_${rg}_${cluster}_${location}`;
}
