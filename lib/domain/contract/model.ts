/**
 * The environment as the architecture contract sees it (its rules, with the corrections where Azure behaves otherwise; see docs/azure-differences.md).
 * Deliberately free of HCL or SDK shapes: infra/contract builds it from the code, the dashboard
 * builds it from live Azure/Kubernetes reads, and both run the same rules over it.
 */

export type RuleStatus = 'pass' | 'fail';

export interface RuleResult {
  id: string;
  title: string;
  status: RuleStatus;
  detail: string;
}

export type PoolMode = 'System' | 'User';
export type Priority = 'Regular' | 'Spot';

export interface NodePool {
  name: string;
  mode: PoolMode;
  priority: Priority;
  /** AKS zone numbers, e.g. ["1","2","3"]. */
  zones: string[];
  /** "key=value:Effect" */
  taints: string[];
  labels: Record<string, string>;
  vmSize?: string;
  autoscaling?: { min: number; max: number } | null;
}

/** A Karpenter `karpenter.sh/v1` NodePool (node auto-provisioning; AKS requires nodeClassRef, see "Node auto-provisioning NodePool" in docs/azure-differences.md). */
export interface KarpenterNodePool {
  name: string;
  /** values of karpenter.sh/capacity-type */
  capacityTypes: string[];
  /** values of topology.kubernetes.io/zone, e.g. "koreacentral-1" */
  zones: string[];
  /** values of karpenter.azure.com/sku-name (empty = any size) */
  skuNames: string[];
  nodeClassRef: string | null;
  limits: { cpu?: string; memory?: string };
}

export type FluxAuth = 'ssh-deploy-key' | 'https-token' | 'public' | 'workload-identity' | 'none';
export type PowerStrategy = 'stop' | 'sleep' | 'sleep-free-tier' | 'teardown' | 'none';

export interface ClusterModel {
  /** mgmt | app1 | app2 */
  name: string;
  privateCluster: boolean;
  /** private_cluster_public_fqdn_enabled: a public DNS name for the private endpoint */
  publicFqdn: boolean;
  nodeProvisioning: { mode: 'Auto' | 'Manual'; defaultNodePools: 'Auto' | 'None' };
  pools: NodePool[];
  karpenterNodePools: KarpenterNodePool[];
  serviceMesh: { declared: boolean; revisions: string[] };
  defender: { declared: boolean };
  kyverno: { installed: boolean; mode: 'Enforce' | 'Audit' | null };
  flux: { installed: boolean; auth: FluxAuth };
  keyVaultCsi: { enabled: boolean; rotationEnabled: boolean };
  reloader: { installed: boolean };
  /** how this cluster is powered down at night (AKS cannot stop a cluster that uses node auto-provisioning) */
  powerStrategy: PowerStrategy;
}

export interface KyvernoPolicySet {
  /** image patterns admitted by restrict-image-registries, e.g. "mcr.microsoft.com/*" */
  allowedRegistries: string[];
  /** namespaces excluded from restrict-image-registries */
  excludedNamespaces: string[];
  policies: { name: string; action: 'Enforce' | 'Audit' | 'Generate' }[];
}

export interface BudgetModel {
  amount: number;
  timeGrain: 'Monthly' | 'Quarterly' | 'Annually' | 'BillingMonth' | 'BillingQuarter' | 'BillingAnnual';
  contactEmails: string[];
  actionGroup: boolean;
}

export interface PowerSchedule {
  stopAt: string; // "22:00"
  startAt: string; // "09:00"
  timeZone: string; // IANA, "Asia/Seoul"
}

export interface BackupModel {
  vaultRedundancy: string | null;
  policy: { schedule: string; retentionDays: number } | null;
  /** clusters with a backup instance */
  instances: string[];
  /** clusters with their own blob container for backup state (the operational tier keeps it there) */
  storageContainers: string[];
  /** clusters with trusted access from the vault (needed by AKS backup) */
  trustedAccess: string[];
  /** clusters with the backup extension (needed by AKS backup) */
  extension: string[];
  snapshotResourceGroup: boolean;
}

export interface TlsModel {
  /** ESO PushSecret copies the cert-manager Secret to Key Vault (the architecture's decision to keep the private key in Key Vault) */
  pushSecretToKeyVault: boolean;
  /** certificate lifetime in hours; Let's Encrypt certificates last 90 days (2160 h) */
  certificateDurationHours: number | null;
  /** a Role limits reads of the TLS Secret to named resources, no wildcard secret access (see "TLS private keys" in docs/azure-differences.md) */
  secretReadRestricted: boolean;
  /** workloads/templates carrying reloader.stakater.com/* annotations (key rotation reaching pods) */
  reloaderAnnotated: string[];
}

export interface EnvironmentModel {
  region: string;
  clusters: ClusterModel[];
  kyverno: KyvernoPolicySet | null;
  budget: BudgetModel | null;
  powerSchedule: PowerSchedule | null;
  backup: BackupModel | null;
  tls: TlsModel | null;
}
