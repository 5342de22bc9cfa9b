import 'server-only';
import type { V1Node } from '@kubernetes/client-node';
import { z } from 'zod';
import { CLUSTER_KEYS, getConfig, clusterRef, type ClusterKey } from '../config';
import { getAzureClients } from '../azure';
import { parseAzureProviderId, type AzureVmRef } from '../domain/provider-id';
import { AppError, translateAzureError, translateKubernetesError } from '../errors';
import { getKubeClients } from '../k8s';
import { nodeFacts } from './facts';
import { invalidateZones } from './queries';

/**
 * Evicts one Spot node the way Azure does when it needs the capacity back, through Azure's
 * own "simulate eviction" on the VM behind the node (named by its `spec.providerID`): the VM
 * gets the 30-second notice and is evicted, Karpenter or the Spot pool replaces it. The same
 * call on the twin and on Azure; the twin's Compute endpoint makes its Kubernetes do the rest.
 */
export const evictSpotNodeInput = z.object({
  cluster: z.enum(CLUSTER_KEYS),
  /** A node's name (a Kubernetes object name); absent: the first Ready Spot node. */
  node: z.string().min(1).max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a Kubernetes node name').optional(),
});

export interface SpotEvictionResult {
  cluster: ClusterKey;
  node: string;
  providerId: string;
  kind: AzureVmRef['kind'];
  message: string;
}

/** Karpenter's taint on a node it is already taking away (an eviction notice among others): not a candidate. */
const DISRUPTED_TAINT = 'karpenter.sh/disrupted';

function pickNode(nodes: V1Node[], name: string | undefined, clusterName: string): V1Node {
  if (name) {
    const node = nodes.find((n) => n.metadata?.name === name);
    if (!node) throw new AppError('not_found', `${clusterName} has no node "${name}".`, 'NodeNotFound');
    if (nodeFacts(node).capacity !== 'spot') throw new AppError('refused', `${name} is not a Spot node: only Spot VMs can be evicted.`, 'NotSpot');
    return node;
  }
  const candidates = nodes
    .filter((n) => {
      const f = nodeFacts(n);
      return f.capacity === 'spot' && f.ready === 'True' && !f.cordoned && !n.spec?.taints?.some((t) => t.key === DISRUPTED_TAINT);
    })
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  if (!candidates.length) throw new AppError('not_found', `${clusterName} has no Ready Spot node to evict.`, 'NoSpotNode');
  return candidates[0];
}

async function listNodes(cluster: ClusterKey, clusterName: string): Promise<V1Node[]> {
  try {
    return (await (await getKubeClients(cluster)).core.listNode()).items;
  } catch (err) {
    throw translateKubernetesError(err, clusterName);
  }
}

export async function evictSpotNode(input: z.infer<typeof evictSpotNodeInput>): Promise<SpotEvictionResult> {
  const { cluster } = input;
  const clusterName = clusterRef(cluster).name;
  const node = pickNode(await listNodes(cluster, clusterName), input.node, clusterName);
  const name = node.metadata?.name ?? '';
  const providerId = node.spec?.providerID ?? '';
  const vm = parseAzureProviderId(providerId);
  if (!vm) throw new AppError('refused', `${name} is not an Azure VM (providerID "${providerId || 'none'}"); there is nothing to evict.`, 'NotAzureVm');
  // The compute client works in the configured subscription, where the clusters are.
  if (vm.subscriptionId.toLowerCase() !== getConfig().subscriptionId.toLowerCase()) {
    throw new AppError('refused', `${name} runs in subscription ${vm.subscriptionId}, not the configured one.`, 'OtherSubscription');
  }
  const { compute } = getAzureClients();
  try {
    if (vm.kind === 'vmss-instance') await compute.virtualMachineScaleSetVMs.simulateEviction(vm.resourceGroup, vm.vmScaleSetName, vm.instanceId);
    else await compute.virtualMachines.simulateEviction(vm.resourceGroup, vm.vmName);
  } catch (err) {
    throw translateAzureError(err);
  } finally {
    await invalidateZones([cluster]);
  }
  const what = vm.kind === 'vmss-instance' ? `instance ${vm.instanceId} of scale set ${vm.vmScaleSetName}` : `VM ${vm.vmName}`;
  return {
    cluster, node: name, providerId, kind: vm.kind,
    message: `Azure is evicting ${name} (${what}): the node goes after the Spot notice and is replaced`,
  };
}

interface NodeClaimObject {
  metadata: { name: string; creationTimestamp?: string; labels?: Record<string, string> };
  status?: { nodeName?: string; conditions?: { type: string; status: string }[] };
}

const INTERRUPTION = /interrupt|evict|preempt/i;
const EVIDENCE_EVENTS = 8;

/**
 * The events worth showing about nodes and NodeClaims: the interruptions first (the newest three), then
 * the newest of the rest. By the time a replacement is Ready, Karpenter has often logged more launches
 * and consolidations than fit, and the interruption that started it all must not be the one cut.
 */
export function pickEvidenceEvents<E extends { reason?: string; lastTimestamp?: Date | string; involvedObject: { kind?: string } }>(events: E[]): E[] {
  const newest = events
    .filter((e) => e.involvedObject.kind === 'Node' || e.involvedObject.kind === 'NodeClaim')
    .sort((a, b) => stamp(b) - stamp(a));
  const interruptions = newest.filter((e) => INTERRUPTION.test(e.reason ?? '')).slice(0, 3);
  return [...interruptions, ...newest.filter((e) => !interruptions.includes(e))].slice(0, EVIDENCE_EVENTS);
}

const stamp = (e: { lastTimestamp?: Date | string }) => (e.lastTimestamp ? new Date(e.lastTimestamp).getTime() || 0 : 0);

/**
 * What Kubernetes recorded about a Spot eviction and its replacement, for the
 * presenter to show: Karpenter's NodeClaims (each with its node and whether it
 * is Ready) and the newest events about nodes and NodeClaims (the Spot
 * interruption, the launch, the disruption). Cluster-scoped objects' events
 * live in the `default` namespace.
 */
export async function spotEvidence(cluster: ClusterKey): Promise<string[]> {
  const c = await getKubeClients(cluster);
  try {
    const [claims, events] = await Promise.all([
      c.custom.listClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodeclaims' }).then((r) => (r as { items: NodeClaimObject[] }).items).catch((err: { code?: number }) => {
        if (err.code === 404) return []; // no Karpenter on this cluster
        throw err;
      }),
      c.core.listNamespacedEvent({ namespace: 'default', limit: 200 }),
    ]);
    const claimLines = claims.map((nc) => {
      const ready = nc.status?.conditions?.find((x) => x.type === 'Ready')?.status === 'True';
      return `NodeClaim ${nc.metadata.name} → ${nc.status?.nodeName ?? 'no node yet'} (${ready ? 'Ready' : 'not Ready'})`;
    });
    const eventLines = pickEvidenceEvents(events.items).map(
      (e) => `${e.type ?? 'Normal'} ${e.reason ?? ''} ${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name}: ${e.message ?? ''}`.slice(0, 300),
    );
    return [...claimLines.slice(0, 10), ...eventLines];
  } catch (err) {
    throw translateKubernetesError(err, clusterRef(cluster).name);
  }
}
