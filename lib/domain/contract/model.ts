/**
 * The environment as the architecture contract sees it (its rules, with the corrections where Azure behaves otherwise; see docs/azure-differences.md).
 * Deliberately free of HCL or SDK shapes: infra/contract builds it from the code, the dashboard
 * builds it from live Azure/Kubernetes reads, and both run the same rules over it.
 */

/** `unknown`: cannot tell, the model lacks the evidence (a read failed or is not made); `detail` says why. */
export type RuleStatus = 'pass' | 'fail' | 'unknown';

/** What a part of the model was read from, in words; `error` when that read failed or cannot be made, `at` when it last answered. */
export interface Evidence {
  read: string;
  at?: number;
  error?: string;
}

export interface Verdict {
  status: RuleStatus;
  /** the problems (fail), the reasons it cannot tell (unknown), or "ok" */
  detail: string;
  evidence: Evidence[];
}

/** A rule's verdict for one cluster. */
export interface ClusterVerdict extends Verdict {
  cluster: string;
}

export interface RuleResult extends Verdict {
  id: string;
  title: string;
  /** per cluster, for the rules that look at clusters (empty for environment-wide rules) */
  clusters: ClusterVerdict[];
}

/** The parts of the model read per cluster. */
export type ClusterSource = 'cluster' | 'nodepools' | 'workloads' | 'policies' | 'gitops';
/** The parts of the model read once for the environment. */
export type EnvironmentSource = 'budget' | 'backup' | 'automation' | 'tls' | 'tlsReaders' | 'code';

/** Where each part of the model came from; a part without an entry counts as read from the model as given. */
export interface ModelEvidence {
  environment?: Partial<Record<EnvironmentSource, Evidence>>;
  clusters?: Record<string, Partial<Record<ClusterSource, Evidence>>>;
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
  /** objects in this cluster that name the mgmt cluster (its name or address); absent: not read */
  mgmtReferences?: string[];
  /** where this cluster's telemetry is stored; absent: not read */
  observability?: ObservabilityModel;
  /** the workloads that run on the Spot workers, and what lets them survive an eviction; absent: not read */
  spotWorkloads?: SpotWorkload[];
}

export interface ObservabilityModel {
  /** Managed Prometheus: metrics into an Azure Monitor workspace */
  metrics: boolean;
  /** Container Insights: logs into Log Analytics */
  logs: boolean;
  /** the OpenTelemetry collector exports traces to Application Insights; null when that could not be read */
  traces: boolean | null;
}

export interface SpotWorkload {
  /** namespace/name */
  name: string;
  /** a PodDisruptionBudget selects its pods */
  pdb: boolean;
  /** a topology spread constraint over topology.kubernetes.io/zone */
  zoneSpread: boolean;
}

/** How the environment is built; only the code says this, the running environment does not. */
export interface BuildModel {
  /** the command that applies the infrastructure, e.g. "tofu apply" */
  applyCommand: string | null;
  /** HCL files in Terraform syntax (.tf) */
  hclFiles: number;
  /** files only OpenTofu reads (.tofu); Terraform ignores them */
  tofuOnlyFiles: string[];
  /** the add-on installer exists as its own stage (addons/install.sh) */
  installer: boolean;
  /** files whose resources run provisioners (they would fold the add-on installation into the apply) */
  provisioners: string[];
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
  /** a Role limits reads of the TLS Secret to named resources, no wildcard secret access (see "TLS private keys" in docs/azure-differences.md); null: not read */
  secretReadRestricted: boolean | null;
  /** why reads are not restricted: each grant reading every Secret of the namespace, each Secret no Role names (absent: none known) */
  secretReadGaps?: string[];
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
  /** absent: not known (a live model cannot see how the environment was built) */
  build?: BuildModel;
  /** what each part was read from; absent: the model as given */
  evidence?: ModelEvidence;
}
