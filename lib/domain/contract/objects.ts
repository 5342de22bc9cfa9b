/**
 * Reads of Kubernetes objects the contract needs, shared by the code's model (YAML manifests, infra/contract)
 * and the live one (the clusters' objects, lib/conformance): the same reading on both sides.
 */
import type { KarpenterNodePool, KyvernoPolicySet } from './model';

/** at(doc, 'spec', 'rules', 0): undefined when any step is missing (YAML and API objects alike are walked, never trusted). */
export function at(o: unknown, ...p: (string | number)[]): unknown {
  let cur = o;
  for (const k of p) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}
export const list = (o: unknown): unknown[] => (Array.isArray(o) ? o : []);
export const text = (o: unknown): string | undefined => (typeof o === 'string' ? o : typeof o === 'number' ? String(o) : undefined);
export const texts = (o: unknown): string[] => list(o).map(text).filter((x): x is string => x !== undefined);

/** A Kyverno ClusterPolicy's action: Generate for a generate rule, else its validate failure action (Audit by default). */
export function policyAction(p: unknown): 'Enforce' | 'Audit' | 'Generate' {
  const rule = at(p, 'spec', 'rules', 0);
  if (at(rule, 'generate')) return 'Generate';
  const a = text(at(rule, 'validate', 'failureAction')) ?? text(at(p, 'spec', 'validationFailureAction')) ?? 'Audit';
  return a.toLowerCase() === 'enforce' ? 'Enforce' : 'Audit';
}

/** The policy set the contract reads from Kyverno ClusterPolicies (the manifests, or the objects in a cluster). */
export function kyvernoSet(policies: readonly unknown[]): KyvernoPolicySet | null {
  if (policies.length === 0) return null;
  const restrict = policies.find((p) => at(p, 'metadata', 'name') === 'restrict-image-registries');
  const rule = at(restrict, 'spec', 'rules', 0);
  const patterns = list(at(rule, 'validate', 'pattern', 'spec', 'containers')).map((c) => text(at(c, 'image')) ?? '');
  return {
    allowedRegistries: [...new Set(patterns.flatMap((p) => p.split('|').map((x) => x.trim()).filter(Boolean)))],
    excludedNamespaces: list(at(rule, 'exclude', 'any')).flatMap((e) => texts(at(e, 'resources', 'namespaces'))),
    policies: policies.map((p) => ({ name: text(at(p, 'metadata', 'name')) ?? '', action: policyAction(p) })),
  };
}

/** A Karpenter `karpenter.sh/v1` NodePool: capacity types, zones and sizes its requirements admit, its class and limits. */
export function karpenterNodePool(d: unknown): KarpenterNodePool {
  const reqs = list(at(d, 'spec', 'template', 'spec', 'requirements'));
  const values = (key: string) => reqs.filter((r) => at(r, 'key') === key && at(r, 'operator') === 'In').flatMap((r) => texts(at(r, 'values')));
  return {
    name: text(at(d, 'metadata', 'name')) ?? '',
    capacityTypes: values('karpenter.sh/capacity-type'),
    zones: values('topology.kubernetes.io/zone'),
    skuNames: values('karpenter.azure.com/sku-name'),
    nodeClassRef: text(at(d, 'spec', 'template', 'spec', 'nodeClassRef', 'name')) ?? null,
    limits: { cpu: text(at(d, 'spec', 'limits', 'cpu')), memory: text(at(d, 'spec', 'limits', 'memory')) },
  };
}

/** "2160h", "90d", "2160h0m0s" → hours; null when it is not a duration */
export function durationHours(d: unknown): number | null {
  if (typeof d !== 'string') return null;
  const re = /(\d+(?:\.\d+)?)(d|h|m|s)/g;
  let h = 0;
  let any = false;
  for (let m = re.exec(d); m; m = re.exec(d)) {
    any = true;
    const n = Number(m[1]);
    h += m[2] === 'd' ? n * 24 : m[2] === 'h' ? n : m[2] === 'm' ? n / 60 : n / 3600;
  }
  return any ? h : null;
}
