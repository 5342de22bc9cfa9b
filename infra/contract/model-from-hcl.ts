/**
 * Builds the contract's EnvironmentModel from this repository: the OpenTofu code (evaluated as
 * `tofu plan` would before reaching Azure), the add-on installer's dry run (what phase 2 does on
 * which cluster) and the manifests it applies. The dashboard builds the same model from live reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type {
  BackupModel, BudgetModel, BuildModel, ClusterModel, EnvironmentModel, FluxAuth, KarpenterNodePool, NodePool,
  ObservabilityModel, PowerSchedule, PowerStrategy, TlsModel, WorkloadShape,
} from '../../lib/domain/contract';
import { durationHours, karpenterNodePool, kyvernoSet, policyAction, reloaderAnnotated, secretReadVerdict, SPEC, spotWorkloadsOf } from '../../lib/domain/contract';
import { at, list, text, texts } from '../../lib/domain/contract/objects';

import { appliedFiles, runDryRun, type DryRunStep } from './dry-run';
import { isUnknown, type Value } from './hcl-eval';
import { clearModuleCache, loadRoot, readTfvars, type ModuleInstance, type ResourceInstance } from './tf-module';

export const INFRA_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export interface LoadOptions {
  infraDir?: string;
  workerProvisioning?: 'nap' | 'autoscaler';
  /** extra root variable values (override terraform.tfvars.example) */
  variables?: Record<string, Value>;
}

/** A parsed YAML document: walked with the accessors below, never trusted for its shape. */
export type Doc = Record<string, unknown>;

export function readYamlDocs(file: string): Doc[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => {
      if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
      return d.toJS() as unknown;
    })
    .filter((d): d is Doc => !!d && typeof d === 'object' && !Array.isArray(d));
}

const kindOf = (d: unknown) => text(at(d, 'kind'));
const nameOf = (d: unknown) => text(at(d, 'metadata', 'name'));
const apiOf = (d: unknown) => text(at(d, 'apiVersion')) ?? '';

const str = (v: Value): string | null => (typeof v === 'string' ? v : null);
const bool = (v: Value): boolean => v === true;
const strList = (v: Value): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const objOf = (v: Value): Record<string, Value> => (v && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) ? (v as Record<string, Value>) : {});

function poolFromDefault(b: Record<string, Value>): NodePool {
  const taints = strList(b.node_taints);
  if (bool(b.only_critical_addons_enabled)) taints.push('CriticalAddonsOnly=true:NoSchedule');
  return {
    name: str(b.name) ?? 'system', mode: 'System', priority: 'Regular', // AKS system pools cannot be Spot
    zones: strList(b.zones), taints, labels: objOf(b.node_labels) as Record<string, string>,
    vmSize: str(b.vm_size) ?? undefined,
    autoscaling: bool(b.auto_scaling_enabled) ? { min: Number(b.min_count), max: Number(b.max_count) } : null,
  };
}

function poolFromResource(r: ResourceInstance): NodePool {
  return {
    name: str(r.get('name')) ?? String(r.name),
    mode: r.get('mode') === 'System' ? 'System' : 'User',
    priority: r.get('priority') === 'Spot' ? 'Spot' : 'Regular',
    zones: strList(r.get('zones')),
    taints: strList(r.get('node_taints')),
    labels: objOf(r.get('node_labels')) as Record<string, string>,
    vmSize: str(r.get('vm_size')) ?? undefined,
    autoscaling: bool(r.get('auto_scaling_enabled')) ? { min: Number(r.get('min_count')), max: Number(r.get('max_count')) } : null,
  };
}

function karpenterPools(docs: Doc[]): KarpenterNodePool[] {
  return docs.filter((d) => kindOf(d) === 'NodePool' && apiOf(d).startsWith('karpenter.sh/')).map(karpenterNodePool);
}

function fluxAuth(cmd: string[] | undefined): { installed: boolean; auth: FluxAuth } {
  if (!cmd) return { installed: false, auth: 'none' };
  const arg = (f: string) => (cmd.includes(f) ? cmd[cmd.indexOf(f) + 1] : undefined);
  // Without --cluster-type managedClusters the command fails on AKS.
  const installed = arg('--cluster-type') === 'managedClusters';
  const url = arg('--url') ?? '';
  let auth: FluxAuth = 'none';
  if (arg('--ssh-private-key-file') && url.startsWith('ssh://')) auth = 'ssh-deploy-key';
  else if (arg('--https-key') || arg('--https-user')) auth = 'https-token';
  else if (url.startsWith('https://')) auth = 'public';
  return { installed, auth };
}

function loadDocs(infraDir: string, files: string[]): Doc[] {
  return [...new Set(files)].flatMap((f) => readYamlDocs(path.join(infraDir, f)));
}

function allManifestDocs(infraDir: string): Doc[] {
  const walk = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  return walk(path.join(infraDir, 'manifests')).filter((f) => f.endsWith('.yaml')).flatMap(readYamlDocs);
}

function tlsModel(applied: Doc[], all: Doc[]): TlsModel | null {
  const stores = applied.filter((d) => kindOf(d) === 'ClusterSecretStore' && at(d, 'spec', 'provider', 'azurekv'));
  const push = applied.filter(
    (d) => kindOf(d) === 'PushSecret' && list(at(d, 'spec', 'secretStoreRefs')).some((r) => stores.some((s) => nameOf(s) === at(r, 'name'))),
  );
  const certs = applied.filter((d) => kindOf(d) === 'Certificate' && apiOf(d).startsWith('cert-manager.io/'));
  if (certs.length === 0 && push.length === 0) return null;
  const secretNames = certs.map((c) => text(at(c, 'spec', 'secretName'))).filter((n): n is string => !!n);
  const ofKind = (k: string) => applied.filter((d) => kindOf(d) === k);
  const reads = secretReadVerdict(SPEC.gatewayNamespace, secretNames, {
    roles: ofKind('Role'),
    roleBindings: ofKind('RoleBinding'),
    clusterRoles: ofKind('ClusterRole'),
    clusterRoleBindings: ofKind('ClusterRoleBinding'),
  });
  const hours = certs.map((c) => durationHours(at(c, 'spec', 'duration') ?? '2160h')).filter((h): h is number => h !== null);
  const annotated = reloaderAnnotated(all.filter((d) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(kindOf(d) ?? '')) as WorkloadShape[]);
  return {
    pushSecretToKeyVault: push.length > 0,
    certificateDurationHours: hours.length ? Math.max(...hours) : null,
    secretReadRestricted: reads.restricted,
    secretReadGaps: reads.gaps,
    reloaderAnnotated: annotated,
  };
}

function budgetModel(root: ModuleInstance): BudgetModel | null {
  const b = root.module('budget')[0]?.resourcesOfType('azurerm_consumption_budget_subscription')[0];
  if (!b) return null;
  const notes = b.blocks('notification');
  return {
    amount: Number(b.get('amount')),
    timeGrain: (str(b.get('time_grain')) ?? 'Monthly') as BudgetModel['timeGrain'],
    contactEmails: [...new Set(notes.flatMap((n) => strList(n.contact_emails)))],
    actionGroup: notes.some((n) => Array.isArray(n.contact_groups) && n.contact_groups.length > 0),
  };
}

function powerModel(root: ModuleInstance): { schedule: PowerSchedule | null; strategy: PowerStrategy } {
  const a = root.module('automation')[0];
  if (!a || a.resourcesOfType('azurerm_automation_schedule').length < 2) return { schedule: null, strategy: 'none' };
  const strategy = str(a.variable('power_strategy'));
  return {
    schedule: { stopAt: str(a.variable('stop_at')) ?? '', startAt: str(a.variable('start_at')) ?? '', timeZone: str(a.variable('time_zone')) ?? '' },
    strategy: (strategy ?? 'none') as PowerStrategy,
  };
}

function backupModel(root: ModuleInstance): BackupModel | null {
  const m = root.module('backup')[0];
  if (!m) return null;
  const vault = m.resourcesOfType('azurerm_data_protection_backup_vault')[0];
  const policy = m.resourcesOfType('azurerm_data_protection_backup_policy_kubernetes_cluster')[0];
  const keys = (t: string, keep: (r: ResourceInstance) => boolean = () => true) =>
    m.resourcesOfType(t).filter(keep).map((r) => String(r.key));
  const instances = m.resourcesOfType('azurerm_data_protection_backup_instance_kubernetes_cluster');
  const retention = policy ? str(policy.get('default_retention_rule', 'life_cycle', 'duration')) : null;
  return {
    vaultRedundancy: vault ? str(vault.get('redundancy')) : null,
    policy: policy
      ? { schedule: strList(policy.get('backup_repeating_time_intervals')).join(','), retentionDays: Number(/^P(\d+)D$/.exec(retention ?? '')?.[1] ?? 0) }
      : null,
    instances: instances.map((r) => String(r.key)),
    storageContainers: keys('azurerm_storage_container'),
    trustedAccess: keys('azurerm_kubernetes_cluster_trusted_access_role_binding', (r) =>
      strList(r.get('roles')).some((x) => x.startsWith('Microsoft.DataProtection/backupVaults/'))),
    extension: keys('azurerm_kubernetes_cluster_extension', (r) => r.get('extension_type') === 'microsoft.dataprotection.kubernetes'),
    snapshotResourceGroup: instances.length > 0 && instances.every((r) => r.get('snapshot_resource_group_name') !== null && r.raw.snapshot_resource_group_name !== undefined),
  };
}

/** The example workloads Flux delivers to the app clusters (infra/manifests/examples): what runs on their Spot workers. */
const exampleDocs = (infraDir: string) =>
  fs.readdirSync(path.join(infraDir, 'manifests', 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => `manifests/examples/${f}`);

/** Files applied to (or delivered to) a cluster that name the mgmt cluster: what an app cluster would then depend on. */
function mgmtReferences(infraDir: string, files: string[], mgmtName: string): string[] {
  const name = new RegExp(`\\b${mgmtName.replace(/[-.]/g, '\\$&')}\\b`);
  return [...new Set(files)].filter((f) => name.test(fs.readFileSync(path.join(infraDir, f), 'utf8'))).map((f) => `${f} names ${mgmtName}`);
}

/** Where the collector sends traces: its Helm values' traces pipeline (infra/addons/values/otel-collector.yaml). */
function tracesToAzureMonitor(infraDir: string): boolean {
  const values = readYamlDocs(path.join(infraDir, 'addons', 'values', 'otel-collector.yaml'))[0];
  return texts(at(values, 'config', 'service', 'pipelines', 'traces', 'exporters')).includes('azuremonitor');
}

/** How the environment is built: the phase-1 command infra/README.md gives, the HCL files, and whether apply runs provisioners. */
function buildModel(infraDir: string): BuildModel {
  const walk = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules')
      .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.relative(infraDir, path.join(d, e.name))]));
  const files = walk(infraDir);
  const hcl = files.filter((f) => f.endsWith('.tf'));
  const readme = fs.readFileSync(path.join(infraDir, 'README.md'), 'utf8');
  const phase1 = /^\|\s*1\s*\|[^\n]*?\b(tofu|terraform) apply\b/m.exec(readme);
  return {
    applyCommand: phase1 ? `${phase1[1]} apply` : null,
    hclFiles: hcl.length,
    tofuOnlyFiles: files.filter((f) => f.endsWith('.tofu')),
    installer: fs.existsSync(path.join(infraDir, 'addons', 'install.sh')),
    provisioners: hcl.filter((f) => /^\s*provisioner\s+"/m.test(fs.readFileSync(path.join(infraDir, f), 'utf8'))),
  };
}

export interface LoadedEnvironment {
  model: EnvironmentModel;
  root: ModuleInstance;
  dryRun: DryRunStep[];
}

export async function loadEnvironment(opts: LoadOptions = {}): Promise<LoadedEnvironment> {
  const infraDir = path.resolve(opts.infraDir ?? INFRA_DIR);
  clearModuleCache();
  const example = await readTfvars(path.join(infraDir, 'terraform.tfvars.example'));
  const workers = opts.workerProvisioning ?? 'nap';
  const root = await loadRoot(infraDir, { ...example, worker_provisioning: workers, ...opts.variables });
  // The mesh revision is read from the HCL; the dry run keeps its own default, since
  // 04-istio refuses revisions older than asm-1-30 and would stop the whole plan.
  const acns = root.variable('acns_observability_enabled') === true ? '1' : '0';
  const dry = runDryRun(infraDir, 'all', { WORKER_PROVISIONING: workers, ACNS_OBSERVABILITY: acns }).steps;

  const aks = root.module('aks')[0];
  const power = powerModel(root);
  const allDocs = allManifestDocs(infraDir);
  const order = (k: string) => { const i = (SPEC.clusters as readonly string[]).indexOf(k); return i < 0 ? 99 : i; };
  const clusterResources = aks.resources('azurerm_kubernetes_cluster', 'this').sort((a, b) => order(String(a.key)) - order(String(b.key)));
  const pools = aks.resourcesOfType('azurerm_kubernetes_cluster_node_pool');
  const examples = exampleDocs(infraDir);
  const exampleWorkloads = loadDocs(infraDir, examples);
  const spotWorkloads = spotWorkloadsOf(
    exampleWorkloads.filter((d) => kindOf(d) === 'Deployment' || kindOf(d) === 'StatefulSet') as WorkloadShape[],
    exampleWorkloads.filter((d) => kindOf(d) === 'PodDisruptionBudget'),
  );
  const mgmtName = str(clusterResources.find((c) => String(c.key) === SPEC.mgmtCluster)?.get('name') ?? null) ?? `aks-${SPEC.mgmtCluster}`;
  const traces = tracesToAzureMonitor(infraDir);

  const clusters: ClusterModel[] = clusterResources.map((c) => {
    const name = String(c.key);
    const npp = objOf(c.blocks('node_provisioning_profile')[0] ?? {});
    const mesh = c.blocks('service_mesh_profile');
    const kv = c.blocks('key_vault_secrets_provider');
    const steps = (s: string) => dry.filter((x) => x.cluster === name && x.step === s);
    const helmRelease = (s: string, release: string) =>
      steps(s).some((x) => x.commands.some((cmd) => cmd[0] === 'helm' && cmd[1] === 'upgrade' && cmd.includes('--install') && cmd.includes(release)));
    const kyvernoDocs = loadDocs(infraDir, appliedFiles(dry, name, '05-kyverno'));
    const restrict = kyvernoDocs.find((d) => kindOf(d) === 'ClusterPolicy' && nameOf(d) === 'restrict-image-registries');
    const kyvernoInstalled = helmRelease('05-kyverno', 'kyverno');
    const fluxCmd = steps('06-flux').flatMap((x) => x.commands).find((cmd) => cmd[0] === 'az' && cmd[1] === 'k8s-configuration' && cmd[2] === 'flux');
    const isApp = (SPEC.appClusters as readonly string[]).includes(name);
    const observability: ObservabilityModel = {
      metrics: c.blocks('monitor_metrics').length > 0,
      logs: c.blocks('oms_agent').length > 0,
      traces: helmRelease('16-otel-collector', 'otel-collector') && traces,
    };
    return {
      name,
      privateCluster: bool(c.get('private_cluster_enabled')),
      publicFqdn: bool(c.get('private_cluster_public_fqdn_enabled')),
      nodeProvisioning: {
        mode: npp.mode === 'Auto' ? 'Auto' : 'Manual',
        defaultNodePools: npp.default_node_pools === 'None' ? 'None' : 'Auto',
      },
      pools: [
        ...c.blocks('default_node_pool').map((b) => poolFromDefault(objOf(b))),
        ...pools.filter((p) => String(p.key) === name).map(poolFromResource),
      ],
      karpenterNodePools: karpenterPools(loadDocs(infraDir, appliedFiles(dry, name, '08-karpenter-nodepool'))),
      serviceMesh: {
        declared: mesh.some((m) => objOf(m).mode === 'Istio'),
        revisions: mesh.flatMap((m) => strList(objOf(m).revisions)),
      },
      defender: { declared: c.blocks('microsoft_defender').length > 0 },
      kyverno: { installed: kyvernoInstalled, mode: kyvernoInstalled && restrict ? (policyAction(restrict) === 'Enforce' ? 'Enforce' : 'Audit') : null },
      flux: fluxAuth(fluxCmd),
      keyVaultCsi: { enabled: kv.length > 0, rotationEnabled: kv.some((b) => objOf(b).secret_rotation_enabled === true) },
      reloader: { installed: helmRelease('03-reloader', 'reloader') },
      powerStrategy: power.strategy,
      // Flux delivers the examples to the app clusters; mgmt is the one they must not depend on.
      mgmtReferences: isApp ? mgmtReferences(infraDir, [...appliedFiles(dry, name), ...examples], mgmtName) : [],
      observability,
      spotWorkloads: isApp ? spotWorkloads : [],
    };
  });

  const appliedEverywhere = loadDocs(infraDir, [...new Set(dry.map((s) => s.cluster))].flatMap((c) => appliedFiles(dry, c)));
  const policies = appliedEverywhere.filter((d) => kindOf(d) === 'ClusterPolicy' && apiOf(d).startsWith('kyverno.io/'));
  const uniquePolicies = [...new Map(policies.map((p) => [nameOf(p), p])).values()];

  const model: EnvironmentModel = {
    region: str(root.local('location')) ?? '',
    clusters,
    kyverno: kyvernoSet(uniquePolicies),
    budget: budgetModel(root),
    powerSchedule: power.schedule,
    backup: backupModel(root),
    tls: tlsModel(appliedEverywhere, allDocs),
    build: buildModel(infraDir),
  };
  return { model, root, dryRun: dry };
}

export async function loadEnvironmentModel(opts: LoadOptions = {}): Promise<EnvironmentModel> {
  return (await loadEnvironment(opts)).model;
}
