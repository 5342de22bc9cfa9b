import 'server-only';
import type { V1Deployment, V1PodDisruptionBudget, V1StatefulSet } from '@kubernetes/client-node';
import type { SharedReadResult } from '../cache/shared-read';
import {
  durationHours, karpenterNodePool, kyvernoSet, policyAction, reloaderAnnotated, secretReadVerdict, spotWorkloadsOf, SPEC,
  type BackupModel, type RbacObjects, type SecretReadVerdict, type BudgetModel, type ClusterModel, type Evidence, type FluxAuth, type NodePool, type PowerSchedule, type TlsModel, type WorkloadShape,
} from '../domain/contract';
import type { AutomationSchedule } from '../domain/schedule';
import { toUserError } from '../errors';
import type { CustomObject } from '../k8s/informer';
import type { ClusterArm } from '../topology';

/**
 * The contract's EnvironmentModel from live reads (the code's model is infra/contract's): the same fields,
 * each part with the evidence of the read it came from. A part whose read failed keeps the model's
 * defaults and carries the error; the rules then cannot tell, rather than judge the defaults.
 */

/** A read as evidence: what was read, when it last answered, and its error (a failed refresh counts even with an older answer). */
export function evidenceOf(read: string, r: Pick<SharedReadResult<unknown>, 'error' | 'fetchedAt'>): Evidence {
  return r.error ? { read, at: r.fetchedAt, error: toUserError(r.error).message } : { read, at: r.fetchedAt };
}

/** A part read from several calls: the first that failed, else the oldest answer (the part is as old as its oldest read). */
export function combined(read: string, parts: Evidence[]): Evidence {
  const failed = parts.find((p) => p.error);
  if (failed) return { read, at: failed.at, error: failed.error };
  const times = parts.map((p) => p.at).filter((t): t is number => t !== undefined);
  return { read, at: times.length ? Math.min(...times) : undefined };
}

/** What one cluster's Kubernetes API gave (the watch-fed cache and the direct reads). */
export interface KubeObjects {
  workloads: (V1Deployment | V1StatefulSet)[];
  pdbs: V1PodDisruptionBudget[];
  nodepools: CustomObject[];
  gitrepositories: CustomObject[];
  clusterPolicies: unknown[];
  /** Helm releases deployed on the cluster, by name */
  releases: string[];
}

const pool = (p: ClusterArm['pools'][number]): NodePool => ({
  name: p.name ?? '?',
  mode: p.mode === 'System' ? 'System' : 'User',
  priority: p.scaleSetPriority === 'Spot' ? 'Spot' : 'Regular',
  zones: p.availabilityZones ?? [],
  taints: p.nodeTaints ?? [],
  labels: p.nodeLabels ?? {},
  vmSize: p.vmSize,
  autoscaling: p.enableAutoScaling ? { min: p.minCount ?? 0, max: p.maxCount ?? 0 } : null,
});

const addon = (a: ClusterArm | undefined, name: string) =>
  Object.entries(a?.cluster.addonProfiles ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

/** Flux reads an ssh:// source only with a key (the AKS GitOps extension's deploy key); https with a secret is a token. */
function fluxAuth(repos: CustomObject[]): { installed: boolean; auth: FluxAuth } {
  const repo = repos.find((r) => r.metadata?.namespace === 'flux-system') ?? repos[0];
  if (!repo) return { installed: false, auth: 'none' };
  const url = String(repo.spec?.url ?? '');
  const secret = Boolean((repo.spec?.secretRef as { name?: string } | undefined)?.name);
  const auth: FluxAuth = url.startsWith('ssh://') ? 'ssh-deploy-key' : url.startsWith('https://') ? (secret ? 'https-token' : 'public') : 'none';
  return { installed: true, auth };
}

/** Objects of an app cluster that name the mgmt cluster (its resource name or API server address). */
export function mgmtReferences(k: KubeObjects, mgmt: readonly string[]): string[] {
  const names = mgmt.filter(Boolean);
  const hit = (o: unknown) => names.some((n) => JSON.stringify(o ?? {}).includes(n));
  return [
    ...k.workloads.filter((w) => hit(w.spec?.template?.spec)).map((w) => `${w.kind ?? 'Deployment'} ${w.metadata?.namespace}/${w.metadata?.name}`),
    ...k.gitrepositories.filter((g) => hit(g.spec)).map((g) => `GitRepository ${g.metadata?.namespace}/${g.metadata?.name}`),
  ];
}

/** The OpenTelemetry collector sends traces to Application Insights when it carries the connection string. */
function tracesToAzureMonitor(k: KubeObjects): boolean {
  return k.workloads
    .filter((w) => w.metadata?.labels?.['app.kubernetes.io/name'] === 'opentelemetry-collector')
    .some((w) => (w.spec?.template?.spec?.containers ?? []).some((c) => (c.env ?? []).some((e) => e.name === 'APPLICATIONINSIGHTS_CONNECTION_STRING')));
}

export function clusterModel(name: string, arm: ClusterArm | undefined, k: KubeObjects, mgmt: readonly string[], powerDown: boolean): ClusterModel {
  const c = arm?.cluster;
  const kv = addon(arm, 'azureKeyvaultSecretsProvider');
  const mesh = c?.serviceMeshProfile;
  const nap = c?.nodeProvisioningProfile?.mode === 'Auto';
  const restrict = k.clusterPolicies.find((p) => (p as { metadata?: { name?: string } }).metadata?.name === 'restrict-image-registries');
  const kyvernoInstalled = k.releases.includes('kyverno');
  const isApp = (SPEC.appClusters as readonly string[]).includes(name);
  return {
    name,
    privateCluster: c?.apiServerAccessProfile?.enablePrivateCluster === true,
    publicFqdn: c?.apiServerAccessProfile?.enablePrivateClusterPublicFqdn === true,
    nodeProvisioning: { mode: nap ? 'Auto' : 'Manual', defaultNodePools: c?.nodeProvisioningProfile?.defaultNodePools === 'None' ? 'None' : 'Auto' },
    pools: (arm?.pools ?? []).map(pool),
    karpenterNodePools: k.nodepools.map(karpenterNodePool),
    serviceMesh: { declared: mesh?.mode === 'Istio', revisions: mesh?.istio?.revisions ?? [] },
    defender: { declared: c?.securityProfile?.defender?.securityMonitoring?.enabled === true },
    kyverno: { installed: kyvernoInstalled, mode: kyvernoInstalled && restrict ? (policyAction(restrict) === 'Enforce' ? 'Enforce' : 'Audit') : null },
    flux: fluxAuth(k.gitrepositories),
    keyVaultCsi: { enabled: kv?.enabled === true, rotationEnabled: kv?.enabled === true && kv.config?.enableSecretRotation === 'true' },
    reloader: { installed: k.releases.includes('reloader') },
    // The automation account's schedules power the environment down: asleep where AKS cannot stop a NAP cluster.
    powerStrategy: !powerDown ? 'none' : nap ? 'sleep' : 'stop',
    mgmtReferences: isApp ? mgmtReferences(k, mgmt) : [],
    observability: { metrics: c?.azureMonitorProfile?.metrics?.enabled === true, logs: addon(arm, 'omsagent')?.enabled === true, traces: tracesToAzureMonitor(k) },
    spotWorkloads: spotWorkloadsOf(k.workloads as WorkloadShape[], k.pdbs),
  };
}

/** The Kyverno policy set of the app clusters (the same manifests on each), by policy name. */
export function policySet(policies: unknown[][]) {
  const byName = new Map(policies.flat().map((p) => [(p as { metadata?: { name?: string } }).metadata?.name, p]));
  return kyvernoSet([...byName.values()]);
}

export function budgetModel(b: { amount: number; timeGrain: string; notifications: { enabled: boolean }[] } | undefined): BudgetModel | null {
  if (!b) return null;
  // The budget API names its contacts per notification; an enabled one notifies someone.
  return { amount: b.amount, timeGrain: b.timeGrain as BudgetModel['timeGrain'], contactEmails: [], actionGroup: b.notifications.some((n) => n.enabled) };
}

export function powerSchedule(schedules: AutomationSchedule[] | undefined): PowerSchedule | null {
  const stop = schedules?.find((s) => s.action === 'stop' && s.enabled);
  const start = schedules?.find((s) => s.action === 'start' && s.enabled);
  return stop && start ? { stopAt: stop.time, startAt: start.time, timeZone: stop.timeZone } : null;
}

interface BackupRead {
  redundancy?: string;
  retention?: string[];
  schedule?: string[];
  /** clusters with a backup instance, and those whose protection is configured */
  instances: string[];
  configured: string[];
}

/**
 * Data Protection configures an AKS backup instance only once the cluster has the backup extension, trusted
 * access from the vault, its blob container and a snapshot resource group: a configured instance is evidence of all four.
 */
export function backupModel(b: BackupRead | undefined): BackupModel | null {
  if (!b) return null;
  const days = (b.retention ?? []).map((d) => Number(/^P(\d+)D$/.exec(d)?.[1] ?? 0));
  return {
    vaultRedundancy: b.redundancy ?? null,
    policy: b.retention ? { schedule: (b.schedule ?? []).join(','), retentionDays: days.length ? Math.max(...days) : 0 } : null,
    instances: b.instances,
    storageContainers: b.configured,
    trustedAccess: b.configured,
    extension: b.configured,
    snapshotResourceGroup: b.configured.length > 0,
  };
}

/** The Secrets the gateway's Certificates write. */
export const certificateSecrets = (certificates: unknown[]): string[] =>
  certificates.map((c) => (c as { spec?: { secretName?: string } }).spec?.secretName).filter((n): n is string => !!n);

/** Who may read the TLS Secret on each cluster that holds it: restricted only where every cluster is; each gap names its cluster. */
export function secretReaders(clusters: { name: string; rbac: RbacObjects }[], secretNames: string[]): SecretReadVerdict {
  const verdicts = clusters.map((c) => ({ name: c.name, v: secretReadVerdict(SPEC.gatewayNamespace, secretNames, c.rbac) }));
  return { restricted: verdicts.every((c) => c.v.restricted), gaps: verdicts.flatMap((c) => c.v.gaps.map((g) => `${c.name}: ${g}`)) };
}

/**
 * The gateway's certificate on mgmt, its PushSecret to a Key Vault store, who may read its Secret (null: the
 * Roles were not read) and the workloads Reloader restarts.
 */
export function tlsModel(
  certificates: unknown[], pushSecrets: CustomObject[], stores: CustomObject[], readers: SecretReadVerdict | null, workloads: WorkloadShape[],
): TlsModel | null {
  const kv = stores.filter((s) => (s.spec?.provider as { azurekv?: unknown } | undefined)?.azurekv).map((s) => s.metadata?.name);
  const pushed = pushSecrets.some((p) => ((p.spec?.secretStoreRefs as { name?: string }[] | undefined) ?? []).some((r) => kv.includes(r.name)));
  if (certificates.length === 0 && !pushed) return null;
  const hours = certificates.map((c) => durationHours((c as { spec?: { duration?: string } }).spec?.duration ?? '2160h')).filter((h): h is number => h !== null);
  return {
    pushSecretToKeyVault: pushed,
    certificateDurationHours: hours.length ? Math.max(...hours) : null,
    secretReadRestricted: readers?.restricted ?? null,
    secretReadGaps: readers?.gaps,
    reloaderAnnotated: reloaderAnnotated(workloads),
  };
}
