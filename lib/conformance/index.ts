/**
 * Live conformance: the architecture's contract (lib/domain/contract) evaluated on the running environment.
 * The model comes from ARM (the managed clusters, the budget, the backup vault, the automation schedules)
 * and each cluster's Kubernetes API (the watch-fed cache, Helm's release records, PDBs, Kyverno's policies,
 * the gateway's Roles and ClusterRoles);
 * a read that fails makes the rules that depend on it "cannot tell", with the error and when it happened.
 */
import 'server-only';
import { getBackupPage, type BackupPage } from '../backup';
import { sharedReads } from '../cache/shared-read';
import { CLUSTER_KEYS, displayCluster, getConfig, type ClusterKey } from '../config';
import { getBudget } from '../cost';
import { evaluateContract, SPEC, type ClusterModel, type EnvironmentModel, type Evidence, type ModelEvidence, type RuleResult, type RuleStatus, type WorkloadShape } from '../domain/contract';
import { toUserError, translateKubernetesError } from '../errors';
import { informers, type ClusterInformer, type KindName } from '../k8s/informer';
import { expectedReleases, getHelmReleases, type HelmReleases } from '../releases';
import { getAutomationSchedules } from '../schedule';
import { backupModel, budgetModel, certificateSecrets, clusterModel, combined, evidenceOf, policySet, powerSchedule, secretReaders, tlsModel, type KubeObjects } from './live-model';
import { readClusterPolicies, readGatewayCertificates, readGatewayRbac, readPdbs } from './reads';
import { readClusterArm } from '../topology';

export type { ClusterVerdict, Evidence, RuleResult, RuleStatus } from '../domain/contract';

export interface ContractSnapshot {
  target: 'twin' | 'azure';
  results: RuleResult[];
  /** the clusters as the page names them, in order */
  clusters: { key: ClusterKey; name: string }[];
  counts: Record<RuleStatus, number>;
  generatedAt: number;
}

const KUBE_KINDS: KindName[] = ['deployments', 'statefulsets', 'nodepools', 'gitrepositories'];
const TLS_KINDS: KindName[] = ['pushsecrets', 'clustersecretstores'];

/** The cache's state for some kinds, as evidence: a failed watch or a cache not yet listed is a failed read. */
function informerEvidence(read: string, inf: ClusterInformer, kinds: KindName[]): Evidence {
  const s = inf.status(kinds);
  if (s.state === 'ok') return { read, at: s.lastEventAt ?? s.syncedAt };
  const error = s.error
    ? toUserError(translateKubernetesError(s.error, displayCluster(inf.cluster))).message
    : `no answer from the Kubernetes API of ${displayCluster(inf.cluster)} yet`;
  return { read, at: s.failedAt ?? s.syncedAt, error };
}

const releaseEvidence = (r: HelmReleases): Evidence => ({ read: 'Helm release records', at: r.fetchedAt, error: r.status === 'ok' ? undefined : r.error?.message ?? 'not read' });

async function readCluster(key: ClusterKey, pins: ReturnType<typeof expectedReleases>) {
  const deadline = getConfig().upstream.deadlineMs;
  const kinds = key === SPEC.mgmtCluster ? [...KUBE_KINDS, ...TLS_KINDS] : KUBE_KINDS;
  const [arm, inf, pdbs, policies, releases, certificates, rbac] = await Promise.all([
    readClusterArm(key),
    informers().read(key, kinds, deadline),
    readPdbs(key),
    readClusterPolicies(key),
    getHelmReleases(key, pins).catch((err): HelmReleases => ({ key, name: displayCluster(key), status: 'failed', error: toUserError(err) })),
    key === SPEC.mgmtCluster ? readGatewayCertificates(key) : undefined,
    // The TLS Secret is on the gateway's clusters: mgmt's from cert-manager, the mesh app clusters' copied from Key Vault.
    (SPEC.meshClusters as readonly string[]).includes(key) ? readGatewayRbac(key, SPEC.gatewayNamespace) : undefined,
  ]);
  const name = displayCluster(key);
  const objects: KubeObjects = {
    workloads: [...inf.list('deployments'), ...inf.list('statefulsets')],
    pdbs: pdbs.value ?? [],
    nodepools: inf.list('nodepools'),
    gitrepositories: inf.list('gitrepositories'),
    clusterPolicies: policies.value ?? [],
    releases: (releases.rows ?? []).filter((r) => r.installed?.status === 'deployed').map((r) => r.release),
  };
  const evidence: NonNullable<ModelEvidence['clusters']>[string] = {
    cluster: evidenceOf(`ARM: managed cluster ${name} (API server access, add-ons, monitoring, mesh, Defender) and its agent pools`, arm),
    nodepools: informerEvidence(`${name}: Karpenter NodePools`, inf, ['nodepools']),
    workloads: combined(`${name}: Deployments, StatefulSets, PodDisruptionBudgets and Helm releases`, [
      informerEvidence('workloads', inf, ['deployments', 'statefulsets']),
      evidenceOf('PodDisruptionBudgets', pdbs),
      releaseEvidence(releases),
    ]),
    policies: evidenceOf(`${name}: Kyverno ClusterPolicies`, policies),
    gitops: informerEvidence(`${name}: Flux GitRepositories`, inf, ['gitrepositories']),
  };
  const tls = certificates && {
    evidence: combined(`${name}: the gateway's Certificate, its PushSecret and the Key Vault store`, [
      evidenceOf('Certificates', certificates),
      informerEvidence('PushSecrets', inf, TLS_KINDS),
    ]),
    certificates: certificates.value ?? [],
    pushSecrets: inf.list('pushsecrets'),
    stores: inf.list('clustersecretstores'),
  };
  // A read that never answered is as old as its failure.
  const readers = rbac && {
    name,
    value: rbac.value,
    evidence: { ...evidenceOf(`${name}: Roles and RoleBindings in ${SPEC.gatewayNamespace}, ClusterRoles and ClusterRoleBindings`, rbac), at: rbac.fetchedAt ?? rbac.errorAt },
  };
  return { key, arm: arm.value, objects, evidence, tls, readers };
}

/** Who may read the TLS Secret, judged only when every cluster that holds it answered: a failed read is "cannot tell", never a pass. */
function tlsReaders(clusters: Awaited<ReturnType<typeof readCluster>>[], certificates: unknown[]) {
  const read = clusters.flatMap((c) => (c.readers ? [c.readers] : []));
  const evidence = combined("who may read the gateway's TLS Secret", read.map((r) => r.evidence));
  const answered = read.flatMap((r) => (r.value ? [{ name: r.name, rbac: r.value }] : []));
  const verdict = !evidence.error && read.length > 0 && answered.length === read.length ? secretReaders(answered, certificateSecrets(certificates)) : null;
  return { evidence: read.length ? evidence : { read: evidence.read, error: 'no cluster of the gateway is configured' }, verdict };
}

const sourced = (s: { status: string; fetchedAt?: number; error?: { message: string } }, read: string): Evidence =>
  s.status === 'ok' ? { read, at: s.fetchedAt } : { read, at: s.fetchedAt, error: s.error?.message ?? 'not read' };

function backupRead(page: BackupPage) {
  const configured = page.clusters.filter((c) => c.instance.value?.protectionStatus === 'ProtectionConfigured').map((c) => c.key);
  const retention = page.policy.value?.retention.filter((r) => r.tier === 'operational').map((r) => r.deleteAfter);
  return {
    evidence: combined('Data Protection: the backup vault, its policy and each cluster\'s backup instance', [
      sourced(page.vault, 'vault'),
      sourced(page.policy, 'policy'),
      ...page.clusters.map((c) => sourced(c.instance, `instance of ${c.name}`)),
    ]),
    value: page.vault.value && {
      redundancy: page.vault.value.redundancy,
      retention: page.policy.value ? retention : undefined,
      schedule: page.policy.value?.schedule,
      instances: page.clusters.filter((c) => c.instance.value).map((c) => c.key),
      configured,
    },
  };
}

/** Reads everything the rules need, every cluster and source on its own: one failing never hides the others. */
export async function liveEnvironment(): Promise<EnvironmentModel> {
  const cfg = getConfig();
  const pins = expectedReleases();
  pins.catch(() => undefined); // each cluster's release read awaits it and reports its failure
  const [clusters, budget, automation, backup] = await Promise.all([
    Promise.all(CLUSTER_KEYS.map((k) => readCluster(k, pins))),
    sharedReads().read('conformance:budget', cfg.readCacheTtlMs, () => getBudget()),
    getAutomationSchedules(),
    getBackupPage(),
  ]);
  const mgmt = clusters.find((c) => c.key === SPEC.mgmtCluster)?.arm?.cluster;
  const mgmtNames = [mgmt?.name, mgmt?.fqdn, mgmt?.privateFqdn].filter((n): n is string => !!n);
  const schedules = automation.status === 'ok' ? automation.schedules : undefined;
  const power = powerSchedule(schedules);
  const models: ClusterModel[] = clusters.map((c) => clusterModel(c.key, c.arm, c.objects, mgmtNames, power !== null));
  const b = backupRead(backup);
  const tls = clusters.find((c) => c.tls)?.tls;
  const readers = tlsReaders(clusters, tls?.certificates ?? []);
  return {
    region: cfg.location,
    clusters: models,
    kyverno: policySet(clusters.filter((c) => (SPEC.appClusters as readonly string[]).includes(c.key)).map((c) => c.objects.clusterPolicies)),
    budget: budgetModel(budget.value),
    powerSchedule: power,
    backup: backupModel(b.value),
    tls: tls ? tlsModel(tls.certificates, tls.pushSecrets, tls.stores, readers.verdict, clusters.flatMap((c) => c.objects.workloads) as WorkloadShape[]) : null,
    evidence: {
      clusters: Object.fromEntries(clusters.map((c) => [c.key, c.evidence])),
      environment: {
        budget: evidenceOf(`Consumption: the budget ${cfg.cost.budgetName}`, budget),
        automation:
          automation.status === 'failed'
            ? { read: `Automation: the schedules of ${automation.account}`, error: automation.error.message }
            : { read: `Automation: the schedules of ${automation.account}${automation.status === 'absent' ? ' (no such account)' : ''}`, at: automation.status === 'ok' ? automation.fetchedAt : undefined },
        backup: b.evidence,
        tls: tls?.evidence ?? { read: 'the gateway certificate on mgmt', error: 'no mgmt cluster is configured' },
        tlsReaders: readers.evidence,
      },
    },
  };
}

const countOf = (results: RuleResult[]): Record<RuleStatus, number> => ({
  pass: results.filter((r) => r.status === 'pass').length,
  fail: results.filter((r) => r.status === 'fail').length,
  unknown: results.filter((r) => r.status === 'unknown').length,
});

/** The contract page's one query: every rule on the live model, per rule and per cluster. */
export async function getContract(): Promise<ContractSnapshot> {
  const results = evaluateContract(await liveEnvironment());
  return {
    target: getConfig().target,
    results,
    clusters: CLUSTER_KEYS.map((key) => ({ key, name: displayCluster(key) })),
    counts: countOf(results),
    generatedAt: Date.now(),
  };
}

export interface ContractSummary {
  counts: Record<RuleStatus, number>;
  /** the failing rules, each with the clusters it fails on (display names) */
  failing: { id: string; title: string; clusters: string[] }[];
  generatedAt: number;
}

/** The presenter's compact view: counts and the failing rules. */
export async function getContractSummary(): Promise<ContractSummary> {
  const s = await getContract();
  const failing = s.results
    .filter((r) => r.status === 'fail')
    .map((r) => ({ id: r.id, title: r.title, clusters: r.clusters.filter((c) => c.status === 'fail').map((c) => displayCluster(c.cluster)) }));
  return { counts: s.counts, failing, generatedAt: s.generatedAt };
}

/** Forgets the contract's own reads (the other capabilities' reads keep their own cache). */
export function invalidateContract(): void {
  sharedReads().invalidate('conformance:');
}
