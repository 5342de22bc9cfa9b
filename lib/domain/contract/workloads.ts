import type { SpotWorkload } from './model';

/** The parts of a Deployment (or StatefulSet) the Spot rule reads; the Kubernetes and YAML shapes both fit. */
export interface WorkloadShape {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  spec?: {
    template?: {
      metadata?: { labels?: Record<string, string> };
      spec?: {
        tolerations?: { key?: string; value?: string; operator?: string }[];
        nodeSelector?: Record<string, string>;
        topologySpreadConstraints?: { topologyKey?: string }[];
      };
    };
  };
}

export interface PdbShape {
  metadata?: { namespace?: string };
  spec?: { selector?: { matchLabels?: Record<string, string> } };
}

const SPOT_KEY = 'kubernetes.azure.com/scalesetpriority';
const ZONE_KEY = 'topology.kubernetes.io/zone';

/** AKS taints every Spot node: a pod that tolerates the taint (or selects Spot nodes) is one an eviction reaches. */
export function runsOnSpot(w: WorkloadShape): boolean {
  const pod = w.spec?.template?.spec;
  return (
    pod?.nodeSelector?.[SPOT_KEY] === 'spot' ||
    (pod?.tolerations ?? []).some((t) => t.key === SPOT_KEY && (t.operator === 'Exists' || t.value === 'spot'))
  );
}

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The workloads on the Spot workers, each with whether a PDB selects its pods and whether it spreads across zones. */
export function spotWorkloadsOf(workloads: readonly WorkloadShape[], pdbs: readonly PdbShape[]): SpotWorkload[] {
  return workloads.filter(runsOnSpot).map((w) => {
    const ns = w.metadata?.namespace ?? 'default';
    const labels = w.spec?.template?.metadata?.labels ?? {};
    return {
      name: `${ns}/${w.metadata?.name ?? '?'}`,
      pdb: pdbs.some((p) => (p.metadata?.namespace ?? 'default') === ns && selects(p.spec?.selector?.matchLabels, labels)),
      zoneSpread: (w.spec?.template?.spec?.topologySpreadConstraints ?? []).some((t) => t.topologyKey === ZONE_KEY),
    };
  });
}

/** Workloads that carry a Reloader annotation (restarted when a Secret or ConfigMap they use changes), as namespace/name. */
export function reloaderAnnotated(workloads: readonly WorkloadShape[]): string[] {
  return workloads
    .filter((w) => Object.keys(w.metadata?.annotations ?? {}).some((k) => k.startsWith('reloader.stakater.com/')))
    .map((w) => `${w.metadata?.namespace ?? 'default'}/${w.metadata?.name ?? '?'}`);
}
