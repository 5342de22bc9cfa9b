import { nodeResourceGroup, type TwinCluster } from '../../seed';
import type { ClusterKey } from '../catalog';
import { quantity } from '../meta';
import type { Condition, K8sObject, Node, Pod, Taint } from '../types';

export const TIMINGS = {
  /** Image pull + container start. */
  podStartMs: 5_000,
  /** A VMSS instance from create to Ready. */
  nodeBootMs: 90_000,
  /** Karpenter: NodeClaim → Node registered, → Ready (the architecture's recovery target: a replacement within ~5 min). */
  claimRegisterMs: 45_000,
  claimReadyMs: 80_000,
  /** Azure's Spot eviction notice. */
  spotNoticeMs: 30_000,
  /** The default toleration of `node.kubernetes.io/unreachable` added to every pod. */
  taintEvictionMs: 300_000,
  eventTtlMs: 3_600_000,
};

export const ZONE = 'topology.kubernetes.io/zone';
export const HOSTNAME = 'kubernetes.io/hostname';
export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const DISRUPTED_TAINT = 'karpenter.sh/disrupted';
export const SPOT_LABEL = 'kubernetes.azure.com/scalesetpriority';
export const SPOT_TAINT: Taint = { key: SPOT_LABEL, value: 'spot', effect: 'NoSchedule' };
export const NODE_CPU = '2';
export const NODE_MEMORY = '8145208Ki';
export const NODE_ALLOC_CPU = '1900m';
export const NODE_ALLOC_MEMORY = '5862200Ki';
export const SKU = 'Standard_D2s_v5';

export interface ModelEnv {
  key: ClusterKey;
  subscriptionId: string;
  /** The live ARM state of this cluster (power, pools, NAP mode). */
  cluster: () => TwinCluster;
  now: () => number;
  /** How long something that takes `ms` in AKS takes here (the twin clock's speed). */
  duration: (ms: number) => number;
  /** The seed's multiplier (`twinScale`): workload replicas and the NodePool's limits grow with it; absent is 1. */
  scale?: number;
}

export interface Claim {
  name: string;
  zone: string;
  pool: string;
  pods: Set<string>;
}

export interface ScenarioResult {
  cluster: ClusterKey;
  detail: string;
  nodes: string[];
}

/**
 * A node's `spec.providerID` as AKS writes it: the VM (`virtualMachines/{name}`, node
 * auto-provisioning) or scale set instance (`virtualMachineScaleSets/{vmss}/virtualMachines/{n}`,
 * agent pools) in the cluster's node resource group, whose name AKS writes in lower case. The
 * twin's Compute endpoint (lib/twin/compute) finds a node by it.
 */
export function vmProviderId(env: ModelEnv, vm: string): string {
  const c = env.cluster();
  return `azure:///subscriptions/${env.subscriptionId}/resourceGroups/${nodeResourceGroup(c.resourceGroup, c.name, c.location).toLowerCase()}/providers/Microsoft.Compute/${vm}`;
}

export const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const isTerminal = (p: Pod) => p.status.phase === 'Succeeded' || p.status.phase === 'Failed';
export const condition = (o: { status: { conditions?: Condition[] } }, type: string) => o.status.conditions?.find((c) => c.type === type);
export const nodeZone = (n: Node) => (n.metadata.labels?.[ZONE] ?? '').split('-').pop() ?? '';
export const isReady = (n: Node) => condition(n, 'Ready')?.status === 'True';
export const requests = (p: Pod) =>
  p.spec.containers.reduce(
    (acc, c) => ({ cpu: acc.cpu + quantity(c.resources?.requests?.cpu), memory: acc.memory + quantity(c.resources?.requests?.memory) }),
    { cpu: 0, memory: 0 },
  );
export const ownerKind = (p: Pod) => p.metadata.ownerReferences?.[0]?.kind;

export function namespaceObject(ns: string): K8sObject {
  return {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns }, uid: '', resourceVersion: '', creationTimestamp: '' },
    spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
  } as K8sObject;
}

/** "30s", "5m", "1h30m" → milliseconds. */
export function durationMs(d: string): number {
  let total = 0;
  for (const m of d.matchAll(/([0-9.]+)(ms|s|m|h)/g)) total += Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[m[2] as 'ms' | 's' | 'm' | 'h'];
  return total;
}
