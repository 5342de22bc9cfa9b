/** Numbers and names of the architecture, with the corrections where Azure behaves otherwise (docs/azure-differences.md), in one place. */
export const SPEC = {
  region: 'koreacentral',
  zones: ['1', '2', '3'] as const, // every pool spans the three zones
  clusters: ['mgmt', 'app1', 'app2'] as const, // the architecture's three clusters
  meshClusters: ['mgmt', 'app1'] as const, // the Istio add-on runs on these
  kyvernoClusters: ['app1', 'app2'] as const, // Kyverno on the app clusters only, never on mgmt
  appClusters: ['app1', 'app2'] as const, // the clusters that run the applications; mgmt runs the platform's tools
  mgmtCluster: 'mgmt',
  gatewayNamespace: 'aks-istio-ingress', // the Istio ingress gateway and its TLS Secret
  budgetAmount: 250, // the architecture's $250 monthly budget
  minMeshRevision: 30, // asm-1-30+: older revisions are retired, and only 1-30+ chain Istio CNI by default (docs/azure-differences.md)
  /** AKS-managed images (Istio proxy, backup extension) come from mcr.microsoft.com, ESO and Reloader from ghcr.io (docs/azure-differences.md) */
  requiredRegistries: ['mcr.microsoft.com', 'ghcr.io'] as const,
  requiredExclusions: ['aks-istio-*', 'flux-system', 'dataprotection-microsoft', 'kube-system'] as const,
  kyvernoPolicies: {
    'restrict-image-registries': 'Enforce',
    'require-resource-limits': 'Enforce',
    'disallow-privileged-containers': 'Enforce',
    'require-labels': 'Audit',
    'generate-pdb': 'Generate',
    'require-topology-spread': 'Audit',
  } as const, // the architecture's Kyverno policies
  backupRetentionDays: 7, // the architecture's backup retention
  maxCertificateHours: 90 * 24, // short-lived (Let's Encrypt lifetime), since the gateway keeps the key in a Secret (docs/azure-differences.md)
  powerSchedule: { stopAt: '22:00', startAt: '09:00', timeZone: 'Asia/Seoul' }, // the architecture's nightly stop and morning start
} as const;

/** "koreacentral-2" → "2", "2" → "2" */
export function zoneNumber(zone: string): string {
  const m = /(\d+)$/.exec(zone.trim());
  return m ? m[1] : zone;
}
