import 'server-only';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { zoneFromLabel, type NodeFacts, type PodFacts } from '../domain/zones';

/** The one place where client-node's types become the domain's facts. */
export function nodeFacts(n: V1Node): NodeFacts {
  const labels = n.metadata?.labels ?? {};
  const spot = labels['kubernetes.azure.com/scalesetpriority'] === 'spot' || labels['karpenter.sh/capacity-type'] === 'spot';
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return {
    name: n.metadata?.name ?? '',
    zone: zoneFromLabel(labels['topology.kubernetes.io/zone']),
    pool: labels['kubernetes.azure.com/agentpool'] ?? labels['karpenter.sh/nodepool'] ?? '',
    capacity: spot ? 'spot' : 'regular',
    ready: ready === 'True' || ready === 'False' ? ready : 'Unknown',
    cordoned: Boolean(n.spec?.unschedulable),
    ingress: labels.role === 'ingress',
    nap: Boolean(labels['karpenter.sh/nodepool']),
  };
}

export function podFacts(p: V1Pod): PodFacts {
  const labels = p.metadata?.labels ?? {};
  const scheduled = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const phase = p.status?.phase;
  return {
    namespace: p.metadata?.namespace ?? '',
    name: p.metadata?.name ?? '',
    nodeName: p.spec?.nodeName || undefined,
    phase: phase === 'Pending' || phase === 'Running' || phase === 'Succeeded' || phase === 'Failed' ? phase : 'Unknown',
    ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    // the add-on's external gateway; the internal one would be aks-istio-ingressgateway-internal.
    gateway: p.metadata?.namespace === 'aks-istio-ingress' && (labels.istio ?? '').startsWith('aks-istio-ingressgateway'),
    daemon: p.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet') ?? false,
    reason: scheduled?.status === 'False' ? scheduled.message : undefined,
  };
}

