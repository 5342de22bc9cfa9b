import 'server-only';
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import { getAzureClients } from '../../azure';
import { clusterRef, type ClusterKey } from '../../config';
import { NAP_NODEPOOL, type LiveCluster, type LiveWorkload } from '../../domain/power-plan';
import { getKubeClients, type KubeClients } from '../../k8s';
import { azure, k8s } from './calls';

/** What a sleep or wake plans from: the cluster as ARM and its Kubernetes API show it now. */

export const NAP_LABEL = 'karpenter.sh/nodepool';
const SPOT_KEYS = ['kubernetes.azure.com/scalesetpriority', 'karpenter.sh/capacity-type', NAP_LABEL];

/** Whether a workload's pods go to Spot/NAP nodes: they keep NAP's nodes busy. */
export function runsOnSpot(w: V1Deployment | V1StatefulSet): boolean {
  const spec = w.spec?.template.spec;
  if (!spec) return false;
  if (Object.keys(spec.nodeSelector ?? {}).some((k) => SPOT_KEYS.includes(k))) return true;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms.some((t) => (t.matchExpressions ?? []).some((e) => SPOT_KEYS.includes(e.key)));
}

export async function spotWorkloads(key: ClusterKey, c: KubeClients): Promise<LiveWorkload[]> {
  const [deployments, statefulSets] = await Promise.all([
    k8s(key, c.apps.listDeploymentForAllNamespaces()),
    k8s(key, c.apps.listStatefulSetForAllNamespaces()),
  ]);
  const out: LiveWorkload[] = [];
  for (const d of deployments.items) if (runsOnSpot(d)) out.push({ namespace: d.metadata!.namespace!, kind: 'Deployment', name: d.metadata!.name!, replicas: d.spec?.replicas ?? 1 });
  for (const s of statefulSets.items) if (runsOnSpot(s)) out.push({ namespace: s.metadata!.namespace!, kind: 'StatefulSet', name: s.metadata!.name!, replicas: s.spec?.replicas ?? 1 });
  return out;
}

export interface NodePoolObject {
  spec?: { limits?: Record<string, string> };
}

/** ARM (cluster, agent pools) and, for a running NAP cluster, Kubernetes (NodePool, NAP nodes, Spot workloads). */
export async function readLiveCluster(key: ClusterKey): Promise<LiveCluster> {
  const ref = clusterRef(key);
  const { containerService } = getAzureClients();
  const cluster = await azure(containerService.managedClusters.get(ref.resourceGroup, ref.name));
  const pools: LiveCluster['pools'] = [];
  for await (const p of containerService.agentPools.list(ref.resourceGroup, ref.name)) {
    pools.push({ name: p.name!, mode: p.mode === 'System' ? 'System' : 'User', count: p.count ?? 0, enableAutoScaling: !!p.enableAutoScaling, minCount: p.minCount, provisioningState: p.provisioningState });
  }
  const mode = cluster.nodeProvisioningProfile?.mode;
  const code = cluster.powerState?.code;
  const live: LiveCluster = {
    key,
    nodeProvisioningMode: mode === 'Auto' ? 'Auto' : mode === 'Manual' ? 'Manual' : 'None',
    powerState: code === 'Running' || code === 'Stopped' ? code : 'Unknown',
    provisioningState: cluster.provisioningState ?? 'Unknown',
    tier: cluster.sku?.tier ?? 'Standard',
    pools,
    nap: null,
    workloads: [],
  };
  if (live.nodeProvisioningMode === 'Auto' && live.powerState === 'Running') Object.assign(live, await readNapState(key, await getKubeClients(key)));
  return live;
}

/** The Kubernetes side of a NAP cluster: its NodePool's limits, NAP nodes and the workloads on Spot. */
export async function readNapState(key: ClusterKey, c: KubeClients): Promise<Pick<LiveCluster, 'nap' | 'workloads'>> {
  const [np, nodes, workloads] = await Promise.all([
    k8s(key, c.custom.getClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: NAP_NODEPOOL })) as Promise<NodePoolObject>,
    k8s(key, c.core.listNode({ labelSelector: `${NAP_LABEL}=${NAP_NODEPOOL}` })),
    spotWorkloads(key, c),
  ]);
  return { nap: { limits: np.spec?.limits ?? {}, nodes: nodes.items.length }, workloads };
}
