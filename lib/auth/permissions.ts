/**
 * What the dashboard's own Azure identity needs, per action: the Azure operations the action
 * performs, and the built-in role that grants them at the narrowest scope the deployment knows.
 * infra/modules/dashboard grants exactly the union of these (a test parses the module and
 * compares); a test also fails when an action declared with defineAction has no entry here.
 *
 * Roles are Azure built-in roles, by name:
 * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
 * The operations are Azure resource provider operations:
 * https://learn.microsoft.com/azure/role-based-access-control/resource-provider-operations
 */

import 'server-only';
export const BUILT_IN_ROLES = [
  'Reader',
  'Cost Management Reader',
  'Backup Operator',
  'Backup Contributor',
  'Azure Kubernetes Service Contributor Role',
  'Azure Kubernetes Service Cluster User Role',
  'Azure Kubernetes Service RBAC Reader',
  'Azure Kubernetes Service RBAC Cluster Admin',
  'Network Contributor',
  'Key Vault Secrets User',
  'Contributor',
  'Role Based Access Control Administrator',
  'Storage Blob Data Contributor',
  'Virtual Machine Contributor',
] as const;
export type BuiltInRole = (typeof BUILT_IN_ROLES)[number];

/**
 * Where a role is granted. `clusters`: on each AKS cluster; `node-resource-groups`: on each
 * cluster's node resource group (the MC_ group AKS keeps its VMs in); `backup-vault`: the Data
 * Protection vault; `state-storage`: the remote state's storage account (infra/bootstrap).
 */
export type Scope =
  | 'subscription'
  | 'resource-group:common'
  | 'resource-group:mgmt'
  | 'resource-group:app1'
  | 'resource-group:app2'
  | 'clusters'
  | 'node-resource-groups'
  | 'backup-vault'
  | 'state-storage';

export interface Grant {
  role: BuiltInRole;
  scope: Scope;
}

export interface ActionPermissions {
  /** Azure operations (control plane) and data actions the action performs. Empty: the app's database only. */
  operations: string[];
  grants: Grant[];
  /** Why this role and scope, where it is not obvious. */
  note?: string;
}

const RESOURCE_GROUPS = ['common', 'mgmt', 'app1', 'app2'] as const;

/** Kubernetes API through Azure RBAC: the user credential's server and CA, then Entra tokens. */
const K8S_CREDENTIALS = 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action';
const TOFU_STATE = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read, write (state blob and its lease lock)';
const PREFLIGHT_READS = 'Microsoft.Compute/locations/usages/read, Microsoft.Network/locations/usages/read, Microsoft.ContainerService/locations/kubernetesVersions/read and meshRevisionProfiles/read (pre-flight)';

const AKS_POWER: ActionPermissions = {
  operations: [
    'Microsoft.ContainerService/managedClusters/read',
    'Microsoft.ContainerService/managedClusters/stop/action',
    'Microsoft.ContainerService/managedClusters/start/action',
  ],
  grants: [{ role: 'Azure Kubernetes Service Contributor Role', scope: 'clusters' }],
};

const SLEEP: ActionPermissions = {
  operations: [
    'Microsoft.ContainerService/managedClusters/read',
    'Microsoft.ContainerService/managedClusters/write (control plane tier)',
    'Microsoft.ContainerService/managedClusters/agentPools/write (node count)',
    K8S_CREDENTIALS,
    'Microsoft.ContainerService/managedClusters/karpenter.sh/nodepools/write (cluster-scoped limits)',
    'Microsoft.ContainerService/managedClusters/apps/deployments/scale/write, statefulsets/scale/write',
  ],
  grants: [
    { role: 'Azure Kubernetes Service Contributor Role', scope: 'clusters' },
    { role: 'Azure Kubernetes Service Cluster User Role', scope: 'clusters' },
    { role: 'Azure Kubernetes Service RBAC Cluster Admin', scope: 'clusters' },
  ],
  note: 'Karpenter NodePools are cluster-scoped objects: the namespace-bound AKS RBAC roles cannot write them.',
};

const POWER_ENVIRONMENT: ActionPermissions = {
  operations: [
    ...AKS_POWER.operations,
    ...SLEEP.operations.slice(1),
    'Microsoft.Network/bastionHosts/read, write, delete',
    'Microsoft.Network/publicIPAddresses/join/action',
    'Microsoft.Network/virtualNetworks/subnets/join/action (AzureBastionSubnet)',
  ],
  grants: [
    ...SLEEP.grants,
    { role: 'Network Contributor', scope: 'resource-group:mgmt' },
    { role: 'Network Contributor', scope: 'resource-group:common' },
  ],
  note: 'Bastion and its public IP are in the mgmt group, its subnet in the hub network of the common group; no narrower built-in role joins a subnet.',
};

const TOFU_APPLY: ActionPermissions = {
  operations: ['*/read, write, delete on the environment’s resources', 'Microsoft.Authorization/roleAssignments/write, delete', TOFU_STATE],
  grants: [
    { role: 'Contributor', scope: 'subscription' },
    { role: 'Role Based Access Control Administrator', scope: 'subscription' },
    { role: 'Storage Blob Data Contributor', scope: 'state-storage' },
  ],
  note: 'tofu apply creates the resource groups (subscription scope) and the modules’ role assignments. The Entra app registration also needs Microsoft Graph Application.ReadWrite.OwnedBy, granted by a tenant administrator, not an Azure role.',
};

const CLUSTER_ADMIN_K8S: ActionPermissions = {
  operations: [K8S_CREDENTIALS, 'Microsoft.ContainerService/managedClusters/nodes/write (cordon, uncordon)', 'Microsoft.ContainerService/managedClusters/pods/eviction/write (drain)'],
  grants: [
    { role: 'Azure Kubernetes Service Cluster User Role', scope: 'clusters' },
    { role: 'Azure Kubernetes Service RBAC Cluster Admin', scope: 'clusters' },
  ],
  note: 'Nodes are cluster-scoped objects: only the cluster-wide AKS RBAC role can cordon them.',
};

/** Azure's simulated Spot eviction of the VM behind a node, found by listing the cluster's nodes. */
const SPOT_EVICT: ActionPermissions = {
  operations: [
    K8S_CREDENTIALS,
    'Microsoft.ContainerService/managedClusters/nodes/read (the node and its providerID)',
    'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/simulateEviction/action (agent pool nodes)',
    'Microsoft.Compute/virtualMachines/simulateEviction/action (node auto-provisioning nodes)',
  ],
  grants: [
    { role: 'Azure Kubernetes Service Cluster User Role', scope: 'clusters' },
    { role: 'Azure Kubernetes Service RBAC Reader', scope: 'clusters' },
    { role: 'Virtual Machine Contributor', scope: 'node-resource-groups' },
  ],
  note: 'The VMs and scale sets live in each cluster’s node resource group, not the cluster’s own group; Virtual Machine Contributor (virtualMachines/* and virtualMachineScaleSets/*) is the narrowest built-in role with both simulateEviction actions.',
};

/** The app's database only: no Azure permission (what a schedule later runs uses that action's grants). */
const DATABASE_ONLY: ActionPermissions = { operations: [], grants: [] };

/** Every page's reads (not an action, but what any signed-in user makes the dashboard do). */
export const PAGE_READS: ActionPermissions = {
  operations: [
    'Microsoft.Resources/subscriptions/resourceGroups/read and */read of their resources (topology, Bastion, Automation schedules, backup vault)',
    'Microsoft.CostManagement/query/action, forecast/action; Microsoft.Consumption/budgets/read',
    K8S_CREDENTIALS,
    'Microsoft.ContainerService/managedClusters/*/read (nodes, workloads, NodePools, the istiod and Key Vault CSI pods; the chain page: Flux, cert-manager and External Secrets objects)',
    'Microsoft.KubernetesConfiguration/extensions/read, fluxConfigurations/read (the Releases page; Reader on the clusters\' resource groups)',
    'Microsoft.ContainerService/managedClusters/secrets/read (the chain page: the gateway TLS Secret, type and key names only; granted by the RBAC Cluster Admin role of the zone and Spot commands, as for the Helm releases)',
    'Microsoft.ContainerService/managedClusters/rbac.authorization.k8s.io/roles/read, rolebindings/read, clusterroles/read, clusterrolebindings/read (the contract page: who may read the gateway TLS Secret on mgmt and app1; the RBAC Reader role does not show Roles or their bindings, the RBAC Cluster Admin role of the zone and Spot commands grants them)',
    'Microsoft.KeyVault/vaults/secrets/read (the chain page: the pushed certificate\'s version, update and expiry through the management plane, which never returns a value; Reader on the common group grants it)',
    PREFLIGHT_READS,
  ],
  grants: [
    ...RESOURCE_GROUPS.map((g) => ({ role: 'Reader' as const, scope: `resource-group:${g}` as const })),
    // The pre-flight's quotas and version lists are subscription-level reads.
    { role: 'Reader', scope: 'subscription' },
    { role: 'Cost Management Reader', scope: 'subscription' },
    { role: 'Azure Kubernetes Service Cluster User Role', scope: 'clusters' },
    { role: 'Azure Kubernetes Service RBAC Reader', scope: 'clusters' },
  ],
};

export const ACTION_PERMISSIONS: Record<string, ActionPermissions> = {
  'backup.run': {
    operations: ['Microsoft.DataProtection/backupVaults/backupInstances/backup/action', 'Microsoft.DataProtection/backupVaults/backupJobs/read'],
    grants: [{ role: 'Backup Operator', scope: 'backup-vault' }],
  },
  'backup.restore': {
    operations: [
      'Microsoft.DataProtection/backupVaults/backupInstances/restore/action',
      'Microsoft.DataProtection/backupVaults/backupInstances/recoveryPoints/read',
      'Microsoft.DataProtection/backupVaults/backupJobs/read',
      'Microsoft.ContainerService/managedClusters/read (the target cluster, granted by the page reads)',
    ],
    grants: [{ role: 'Backup Contributor', scope: 'backup-vault' }],
    note: 'Azure Backup for AKS names Backup Contributor as the role that restores (Backup Operator is enough to back up); it is granted on the vault only, narrower than the vault’s resource group the documentation suggests.',
  },
  'budget.guard.set': DATABASE_ONLY,
  'preflight.refresh': {
    operations: [PREFLIGHT_READS],
    grants: [{ role: 'Reader', scope: 'subscription' }],
  },
  'cost.refresh': {
    operations: ['Microsoft.CostManagement/query/action', 'Microsoft.Consumption/budgets/read'],
    grants: [{ role: 'Cost Management Reader', scope: 'subscription' }],
  },
  'jobs.init': {
    operations: [TOFU_STATE],
    grants: [{ role: 'Storage Blob Data Contributor', scope: 'state-storage' }],
  },
  'jobs.plan': {
    operations: ['*/read on the subscription (refresh)', TOFU_STATE],
    grants: [
      { role: 'Reader', scope: 'subscription' },
      { role: 'Storage Blob Data Contributor', scope: 'state-storage' },
    ],
    note: 'A plan takes the state lock (a blob lease) even though it changes nothing.',
  },
  'jobs.apply': TOFU_APPLY,
  'jobs.destroy': TOFU_APPLY,
  'jobs.addons-dry-run': { ...DATABASE_ONLY, note: 'Prints the commands; touches nothing.' },
  'jobs.addons-install': {
    operations: [
      K8S_CREDENTIALS,
      'Microsoft.ContainerService/managedClusters/write (service mesh add-on), trustedAccessRoleBindings/write',
      'Kubernetes objects of every kind (helm, kubectl apply)',
      'Microsoft.ContainerService/locations/meshRevisionProfiles/read',
    ],
    grants: [
      { role: 'Azure Kubernetes Service Contributor Role', scope: 'clusters' },
      { role: 'Azure Kubernetes Service Cluster User Role', scope: 'clusters' },
      { role: 'Azure Kubernetes Service RBAC Cluster Admin', scope: 'clusters' },
      { role: 'Reader', scope: 'subscription' },
    ],
  },
  'jobs.addon-plan': {
    operations: [
      K8S_CREDENTIALS,
      'Kubernetes: Secrets of the release\'s namespace read (helm get manifest reads Helm\'s release records)',
      'Kubernetes: create and patch of the release\'s objects with dryRun=All (helm upgrade --dry-run=server)',
    ],
    grants: [
      { role: 'Azure Kubernetes Service Cluster User Role', scope: 'clusters' },
      { role: 'Azure Kubernetes Service RBAC Cluster Admin', scope: 'clusters' },
    ],
    note: 'A server-side dry run is authorised as the write it simulates, and a chart has cluster-scoped objects: the plan needs the install\'s Kubernetes role although it changes nothing.',
  },
  'jobs.addon-apply': {
    operations: [K8S_CREDENTIALS, 'Kubernetes objects of one add-on (helm upgrade --install, kubectl apply of its step\'s manifests)'],
    grants: [
      { role: 'Azure Kubernetes Service Cluster User Role', scope: 'clusters' },
      { role: 'Azure Kubernetes Service RBAC Cluster Admin', scope: 'clusters' },
    ],
  },
  'jobs.verify-clusters': {
    operations: [K8S_CREDENTIALS, 'Kubernetes */read', 'Microsoft.KeyVault/vaults/secrets/getSecret/action (TLS certificate date)'],
    grants: [
      { role: 'Azure Kubernetes Service Cluster User Role', scope: 'clusters' },
      { role: 'Azure Kubernetes Service RBAC Reader', scope: 'clusters' },
      { role: 'Key Vault Secrets User', scope: 'resource-group:common' },
    ],
    note: 'The Key Vault is in the common group; the module is not given its id, so the group is the narrowest scope.',
  },
  'jobs.cancel': DATABASE_ONLY,
  'jobs.force-unlock': { ...DATABASE_ONLY, note: 'Releases the dashboard\'s own job lock (a database row); the remote state\'s lock is OpenTofu\'s.' },
  'cluster.stop': AKS_POWER,
  'cluster.start': AKS_POWER,
  'cluster.sleep': SLEEP,
  'cluster.wake': SLEEP,
  'environment.power-down': POWER_ENVIRONMENT,
  'environment.power-up': POWER_ENVIRONMENT,
  'environment.tear-down': TOFU_APPLY,
  'environment.rebuild': { ...TOFU_APPLY, grants: [...TOFU_APPLY.grants, ...CLUSTER_ADMIN_K8S.grants], note: 'tofu apply, then the add-on installer.' },
  'schedule.save': DATABASE_ONLY,
  'schedule.enable': DATABASE_ONLY,
  'schedule.skip-next': DATABASE_ONLY,
  'schedule.delete': DATABASE_ONLY,
  'zone.cordon': CLUSTER_ADMIN_K8S,
  'zone.restore': CLUSTER_ADMIN_K8S,
  'zone.scenario': CLUSTER_ADMIN_K8S,
  'spot.evict': SPOT_EVICT,
  'presenter.start': DATABASE_ONLY,
  'presenter.stopwatch': DATABASE_ONLY,
  'presenter.abandon': DATABASE_ONLY,
  'presenter.share': DATABASE_ONLY,
  'presenter.unshare': DATABASE_ONLY,
};

/** A presenter's step runs one of the product's own commands: it needs what any of them needs. */
const union = (...perms: ActionPermissions[]): ActionPermissions => ({
  operations: [...new Set(perms.flatMap((p) => p.operations))],
  grants: [...new Map(perms.flatMap((p) => p.grants).map((g) => [`${g.role}@${g.scope}`, g])).values()],
  note: 'A scenario step runs one of the zone, Spot, power or restore commands; each needs what its own button needs.',
});
ACTION_PERMISSIONS['presenter.step'] = ACTION_PERMISSIONS['presenter.way-back'] = union(
  ACTION_PERMISSIONS['zone.cordon'], ACTION_PERMISSIONS['spot.evict'], ACTION_PERMISSIONS['cluster.sleep'],
  ACTION_PERMISSIONS['cluster.stop'], ACTION_PERMISSIONS['backup.restore'],
);

export const grantKey = (g: Grant) => `${g.role}@${g.scope}`;

/**
 * The actions that run `tofu apply`: their grants (Contributor and Role Based Access Control
 * Administrator on the subscription) amount to owning it, so the module can leave them out
 * (`grant_infrastructure_jobs = false`) and these actions then fail on Azure's refusal.
 */
export const INFRASTRUCTURE_ACTIONS = ['jobs.apply', 'jobs.destroy', 'environment.tear-down', 'environment.rebuild'];

/** Every grant the dashboard's identity needs: the union over the page reads and the actions. */
export function requiredGrants(options: { infrastructureJobs?: boolean } = {}): Grant[] {
  const all = new Map<string, Grant>();
  const included = Object.entries(ACTION_PERMISSIONS).filter(([name]) => options.infrastructureJobs !== false || !INFRASTRUCTURE_ACTIONS.includes(name));
  for (const p of [PAGE_READS, ...included.map(([, p]) => p)]) for (const g of p.grants) all.set(grantKey(g), g);
  return [...all.values()].sort((a, b) => grantKey(a).localeCompare(grantKey(b)));
}
