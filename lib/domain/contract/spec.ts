/** Numbers and names of the architecture, with the corrections where Azure behaves otherwise (docs/azure-differences.md), in one place. */
export const SPEC = {
  region: 'koreacentral',
  zones: ['1', '2', '3'] as const, // C11
  clusters: ['mgmt', 'app1', 'app2'] as const, // §4.1
  meshClusters: ['mgmt', 'app1'] as const, // §5.4
  kyvernoClusters: ['app1', 'app2'] as const, // C4, ADR-003
  budgetAmount: 250, // C10, ADR-012
  minMeshRevision: 30, // E3/E5: asm-1-30+ (CNI chaining by default)
  /** E6: AKS-managed images (Istio proxy, backup extension) and ESO/Reloader */
  requiredRegistries: ['mcr.microsoft.com', 'ghcr.io'] as const,
  requiredExclusions: ['aks-istio-*', 'flux-system', 'dataprotection-microsoft', 'kube-system'] as const,
  kyvernoPolicies: {
    'restrict-image-registries': 'Enforce',
    'require-resource-limits': 'Enforce',
    'disallow-privileged-containers': 'Enforce',
    'require-labels': 'Audit',
    'generate-pdb': 'Generate',
    'require-topology-spread': 'Audit',
  } as const, // §7.4
  backupRetentionDays: 7, // §10.2
  maxCertificateHours: 90 * 24, // E13: short-lived (Let's Encrypt lifetime)
  powerSchedule: { stopAt: '22:00', startAt: '09:00', timeZone: 'Asia/Seoul' }, // §11.3
} as const;

/** "koreacentral-2" → "2", "2" → "2" */
export function zoneNumber(zone: string): string {
  const m = /(\d+)$/.exec(zone.trim());
  return m ? m[1] : zone;
}
