import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { zoneFromLabel, type NodeFacts, type PodFacts } from '../domain/zones';
import { AppError, isAppError } from '../errors';

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

/** client-node errors: ApiException carries `code` and `body`; a dropped connection is a plain Error. */
export function fromK8sError(err: unknown, cluster: string): AppError {
  if (isAppError(err)) return err;
  const e = err as { code?: unknown; body?: unknown; message?: string; cause?: { code?: string } };
  if (typeof e.code === 'number') {
    let message = `Kubernetes API of ${cluster} answered ${e.code}`;
    let reason: string | undefined;
    try {
      const status = JSON.parse(String(e.body)) as { message?: string; reason?: string };
      if (status.message) message = status.message;
      reason = status.reason;
    } catch {
      /* a body that is not a Status */
    }
    if (e.code === 404) return new AppError('not_found', message, reason);
    if (e.code === 409) return new AppError('conflict', message, reason);
    if (e.code === 429) return new AppError('refused', message, reason ?? 'TooManyRequests');
    if (e.code === 401 || e.code === 403) return new AppError('upstream', `Kubernetes refused the credential: ${message}`, reason);
    if (e.code >= 400 && e.code < 500) return new AppError('refused', message, reason);
    return new AppError('upstream', message, reason);
  }
  const detail = (e.message ?? String(err)).split('\n')[0];
  return new AppError('upstream', `the Kubernetes API server of ${cluster} is not answering (${detail})`, e.cause?.code ?? 'Unreachable');
}
