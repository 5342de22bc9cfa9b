import 'server-only';
import type { V1Node } from '@kubernetes/client-node';
import { ZONES, type ClusterView, type PoolView, type Zone } from '../domain/topology';

/**
 * Per-zone node counts of the overview, from the cluster's own nodes: each
 * node's `topology.kubernetes.io/zone` label (`koreacentral-1` → zone 1) and
 * pool label. ARM reports a pool's total only; how it lies over the zones,
 * and which nodes are Ready, is Kubernetes' to say, so a zone failure shows.
 */
export interface NodeZone {
  /** The AKS agent pool (`kubernetes.azure.com/agentpool`), or the Karpenter NodePool's node. */
  pool: string;
  nap: boolean;
  zone: Zone | null;
  ready: boolean;
}

export interface ZoneCount {
  ready: number;
  notReady: number;
}

export function nodeZone(n: V1Node): NodeZone {
  const labels = n.metadata?.labels ?? {};
  const z = labels['topology.kubernetes.io/zone']?.split('-').pop();
  return {
    pool: labels['kubernetes.azure.com/agentpool'] ?? labels['karpenter.sh/nodepool'] ?? '',
    nap: Boolean(labels['karpenter.sh/nodepool']),
    zone: (ZONES as readonly string[]).includes(z ?? '') ? (z as Zone) : null,
    ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
  };
}

function countsOf(nodes: NodeZone[]): Record<Zone, ZoneCount> {
  const out = Object.fromEntries(ZONES.map((z) => [z, { ready: 0, notReady: 0 }])) as Record<Zone, ZoneCount>;
  for (const n of nodes) {
    if (!n.zone) continue;
    if (n.ready) out[n.zone].ready += 1;
    else out[n.zone].notReady += 1;
  }
  return out;
}

/** The view with each pool's live per-zone counts (`liveZones`); the NAP pool counts Karpenter's nodes. */
export function withLiveZones(view: ClusterView, nodes: NodeZone[]): ClusterView {
  const pools: PoolView[] = view.pools.map((p) => {
    const mine = p.source === 'nodeAutoProvisioning' ? nodes.filter((n) => n.nap) : nodes.filter((n) => !n.nap && n.pool === p.name);
    return { ...p, liveZones: countsOf(mine) };
  });
  return { ...view, pools };
}
