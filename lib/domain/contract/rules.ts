import type { ClusterModel, ClusterSource, ClusterVerdict, EnvironmentModel, EnvironmentSource, Evidence, RuleResult, Verdict } from './model';
import { SPEC, zoneNumber } from './spec';

/** Something the model lacks for a rule to tell: for one cluster, or (without `cluster`) for the environment. */
export interface Gap {
  cluster?: string;
  reason: string;
}

export interface ContractRule {
  id: string;
  title: string;
  /** The parts of the model it reads: a failed read makes it "cannot tell" (for that cluster), never pass. */
  reads: { cluster?: ClusterSource[]; environment?: EnvironmentSource[] };
  /** The clusters it judges (default: every cluster). */
  clusters?: readonly string[];
  /** What the model lacks for it: each gap makes it "cannot tell" unless a problem already fails it. */
  lacks?(env: EnvironmentModel): Gap[];
  /** Problems; empty = pass. A problem about one cluster starts with the cluster's name. */
  check(env: EnvironmentModel): string[];
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

const isIngressPool = (p: { name: string; labels: Record<string, string> }) =>
  p.name === 'ingress' || p.labels['role'] === 'ingress';

/** "asm-1-30" → 30; unparseable → NaN */
export function meshMinor(revision: string): number {
  const m = /^asm-1-(\d+)$/.exec(revision);
  return m ? Number(m[1]) : Number.NaN;
}

function eachCluster(env: EnvironmentModel, f: (c: ClusterModel) => string[]): string[] {
  return eachOf(env.clusters, f);
}

function eachOf(clusters: ClusterModel[], f: (c: ClusterModel) => string[]): string[] {
  if (clusters.length === 0) return ['no clusters in the model'];
  return clusters.flatMap(f);
}

const appClusters = (env: EnvironmentModel) => env.clusters.filter((c) => (SPEC.appClusters as readonly string[]).includes(c.name));

export const rules: ContractRule[] = [
  {
    id: 'regular-system-and-ingress',
    title: 'System and ingress node pools run on Regular VMs, never Spot',
    reads: { cluster: ['cluster'] },
    check: (env) =>
      eachCluster(env, (c) =>
        c.pools
          .filter((p) => p.mode === 'System' || isIngressPool(p))
          .filter((p) => p.priority !== 'Regular')
          .map((p) => `${c.name}/${p.name} is ${p.priority}`),
      ),
  },
  {
    id: 'three-zones',
    title: 'Every node pool spans zones 1, 2 and 3',
    reads: { cluster: ['cluster', 'nodepools'] },
    check: (env) =>
      eachCluster(env, (c) => [
        ...c.pools
          .filter((p) => !sameSet(p.zones.map(zoneNumber), SPEC.zones))
          .map((p) => `${c.name}/${p.name} zones [${p.zones.join(',')}]`),
        ...c.karpenterNodePools
          .filter((n) => !sameSet(n.zones.map(zoneNumber), SPEC.zones))
          .map((n) => `${c.name}/NodePool ${n.name} zones [${n.zones.join(',')}]`),
      ]),
  },
  {
    id: 'private-api-server',
    title: 'Private cluster: no public API server endpoint',
    reads: { cluster: ['cluster'] },
    check: (env) =>
      eachCluster(env, (c) => [
        ...(c.privateCluster ? [] : [`${c.name} is not a private cluster`]),
        ...(c.publicFqdn ? [`${c.name} publishes a public FQDN for its API server`] : []),
      ]),
  },
  {
    id: 'backup-wired',
    title: 'AKS backup fully wired for every cluster (operational tier, state in a blob container per cluster; ZoneRedundant vault)',
    reads: { environment: ['backup'] },
    check: (env) => {
      const b = env.backup;
      if (!b) return ['no backup configuration'];
      const out: string[] = [];
      if (b.vaultRedundancy !== 'ZoneRedundant') out.push(`vault redundancy is ${b.vaultRedundancy ?? 'unset'}`);
      if (!b.policy) out.push('no backup policy');
      else if (b.policy.retentionDays < SPEC.backupRetentionDays) out.push(`retention ${b.policy.retentionDays} d < ${SPEC.backupRetentionDays} d`);
      if (!b.snapshotResourceGroup) out.push('no snapshot resource group');
      const parts: [string, string[]][] = [
        ['backup instance', b.instances],
        ['blob container', b.storageContainers],
        ['trusted access', b.trustedAccess],
        ['backup extension', b.extension],
      ];
      for (const c of env.clusters)
        for (const [what, list] of parts) if (!list.includes(c.name)) out.push(`${c.name} has no ${what}`);
      return out;
    },
  },
  {
    id: 'budget-and-power-down',
    title: `Monthly budget of $${SPEC.budgetAmount} and a power-down path AKS allows (no full stop with node auto-provisioning)`,
    reads: { environment: ['budget', 'automation'], cluster: ['cluster'] },
    check: (env) => {
      const out: string[] = [];
      const b = env.budget;
      if (!b) out.push('no budget');
      else {
        if (b.amount !== SPEC.budgetAmount) out.push(`budget amount ${b.amount} ≠ ${SPEC.budgetAmount}`);
        if (b.timeGrain !== 'Monthly') out.push(`budget time grain ${b.timeGrain}`);
        if (b.contactEmails.length === 0 && !b.actionGroup) out.push('budget notifies nobody');
      }
      if (!env.powerSchedule) out.push('no power-down schedule');
      for (const c of env.clusters) {
        if (c.powerStrategy === 'none') out.push(`${c.name} has no power-down path`);
        // AKS refuses `az aks stop` when nodeProvisioningProfile.mode is Auto (docs/azure-differences.md)
        if (c.powerStrategy === 'stop' && c.nodeProvisioning.mode === 'Auto')
          out.push(`${c.name}: full stop is refused by AKS with node auto-provisioning; put it to sleep instead`);
      }
      return out;
    },
  },
  {
    id: 'kyverno-on-app-clusters',
    title: 'Kyverno Enforce only on app clusters; allow-list admits AKS-managed registries (mcr.microsoft.com, ghcr.io)',
    reads: { cluster: ['workloads', 'policies'] },
    check: (env) => {
      const out = eachCluster(env, (c) => {
        const want = (SPEC.kyvernoClusters as readonly string[]).includes(c.name);
        if (want && !(c.kyverno.installed && c.kyverno.mode === 'Enforce')) return [`${c.name} lacks Kyverno in Enforce mode`];
        if (!want && c.kyverno.installed) return [`${c.name} must not run Kyverno (the architecture keeps it off mgmt)`];
        return [];
      });
      const k = env.kyverno;
      if (!k) return [...out, 'no Kyverno policy set'];
      for (const r of SPEC.requiredRegistries)
        if (!k.allowedRegistries.some((a) => a === `${r}/*` || a === `${r}/` || a === r || a === `${r}*`))
          out.push(`allow-list does not admit ${r}`);
      for (const ns of SPEC.requiredExclusions)
        if (!k.excludedNamespaces.includes(ns)) out.push(`namespace ${ns} not excluded`);
      for (const [name, action] of Object.entries(SPEC.kyvernoPolicies)) {
        const p = k.policies.find((x) => x.name === name);
        if (!p) out.push(`policy ${name} missing`);
        else if (p.action !== action) out.push(`policy ${name} is ${p.action}, expected ${action}`);
      }
      return out;
    },
  },
  {
    id: 'flux-with-deploy-key',
    title: 'Flux v2 on every cluster, authenticated with an SSH deploy key',
    reads: { cluster: ['gitops'] },
    check: (env) =>
      eachCluster(env, (c) =>
        !c.flux.installed
          ? [`${c.name} has no Flux configuration`]
          : c.flux.auth !== 'ssh-deploy-key'
            ? [`${c.name} Flux authenticates with ${c.flux.auth}`]
            : [],
      ),
  },
  {
    id: 'tls-key-in-key-vault',
    lacks: (env) => (env.tls?.secretReadRestricted === null ? [{ reason: 'who may read the TLS Secret was not read (Roles)' }] : []),
    title: 'TLS private key: Key Vault holds it; the Secret is short-lived and RBAC-restricted (the Istio gateway can only read a Secret)',
    reads: { environment: ['tls', 'tlsReaders'] },
    check: (env) => {
      const t = env.tls;
      if (!t) return ['no TLS certificate handling'];
      const out: string[] = [];
      if (!t.pushSecretToKeyVault) out.push('no PushSecret to Key Vault');
      if (t.certificateDurationHours === null) out.push('certificate duration not set');
      else if (t.certificateDurationHours > SPEC.maxCertificateHours)
        out.push(`certificate lives ${t.certificateDurationHours} h > ${SPEC.maxCertificateHours} h`);
      if (t.secretReadRestricted === false) out.push(...(t.secretReadGaps?.length ? t.secretReadGaps : ['TLS Secret readable without a name-scoped Role']));
      return out;
    },
  },
  {
    id: 'key-rotation-reaches-pods',
    title: 'Key Vault rotation reaches pods unattended (CSI rotation + Reloader)',
    reads: { environment: ['tls'], cluster: ['cluster', 'workloads'] },
    check: (env) => {
      const out = eachCluster(env, (c) => [
        ...(c.keyVaultCsi.enabled && c.keyVaultCsi.rotationEnabled ? [] : [`${c.name}: Key Vault CSI rotation off`]),
        ...(c.reloader.installed ? [] : [`${c.name}: Reloader not installed`]),
      ]);
      if (!env.tls || env.tls.reloaderAnnotated.length === 0) out.push('no workload carries a Reloader annotation');
      return out;
    },
  },
  {
    id: 'spot-only-workers',
    title: 'Workers are Spot only, as the architecture asks: NAP NodePool spot-only with nodeClassRef, or a Spot autoscaler pool',
    reads: { cluster: ['cluster', 'nodepools'] },
    check: (env) =>
      eachCluster(env, (c) => {
        const out: string[] = [];
        const userPools = c.pools.filter((p) => p.mode === 'User' && !isIngressPool(p));
        for (const p of userPools) {
          if (p.priority !== 'Spot') out.push(`${c.name}/${p.name} worker pool is ${p.priority}`);
          if (p.autoscaling && p.autoscaling.min !== 0) out.push(`${c.name}/${p.name} min ${p.autoscaling.min} ≠ 0`);
        }
        if (c.nodeProvisioning.mode === 'Auto') {
          // otherwise NAP adds an on-demand `default` NodePool (docs/azure-differences.md)
          if (c.nodeProvisioning.defaultNodePools !== 'None') out.push(`${c.name}: NAP default node pools not None (NAP would add an on-demand NodePool)`);
          if (c.karpenterNodePools.length === 0) out.push(`${c.name}: no Karpenter NodePool`);
          for (const n of c.karpenterNodePools) {
            if (!sameSet(n.capacityTypes, ['spot'])) out.push(`${c.name}/NodePool ${n.name} capacity [${n.capacityTypes.join(',')}]`);
            if (!n.nodeClassRef) out.push(`${c.name}/NodePool ${n.name} has no nodeClassRef (karpenter.sh/v1 requires one)`);
            if (n.skuNames.length === 0) out.push(`${c.name}/NodePool ${n.name} does not pin VM sizes`);
            if (!n.limits.cpu || !n.limits.memory) out.push(`${c.name}/NodePool ${n.name} has no limits`);
          }
        } else if (userPools.length === 0) out.push(`${c.name}: no Spot worker pool`);
        return out;
      }),
  },
  {
    id: 'mesh-and-defender',
    title: 'Istio add-on (mgmt, app1; asm-1-30+) and Defender declared on the cluster resource',
    reads: { cluster: ['cluster'] },
    check: (env) =>
      eachCluster(env, (c) => {
        const out: string[] = [];
        if (!c.defender.declared) out.push(`${c.name}: Defender not declared`);
        if ((SPEC.meshClusters as readonly string[]).includes(c.name)) {
          if (!c.serviceMesh.declared || c.serviceMesh.revisions.length === 0) out.push(`${c.name}: Istio add-on not declared`);
          for (const r of c.serviceMesh.revisions)
            if (!(meshMinor(r) >= SPEC.minMeshRevision)) out.push(`${c.name}: revision ${r} older than asm-1-${SPEC.minMeshRevision} (older revisions are retired or need a privileged istio-init)`);
        }
        return out;
      }),
  },
  {
    id: 'app-independent-of-mgmt',
    title: 'App clusters keep running their workloads when the mgmt cluster fails: nothing on them depends on mgmt',
    reads: { cluster: ['workloads', 'gitops'] },
    clusters: SPEC.appClusters,
    lacks: (env) =>
      appClusters(env)
        .filter((c) => !c.mgmtReferences)
        .map((c) => ({ cluster: c.name, reason: `what ${c.name}'s workloads and Flux sources point at was not read` })),
    check: (env) =>
      eachOf(appClusters(env), (c) => (c.mgmtReferences ?? []).map((r) => `${c.name}: ${r} depends on the mgmt cluster`)),
  },
  {
    id: 'observability-in-azure-monitor',
    title: 'Metrics, logs and traces are stored in Azure Monitor, so they survive a cluster failure',
    reads: { cluster: ['cluster', 'workloads'] },
    lacks: (env) =>
      env.clusters.flatMap((c): Gap[] =>
        !c.observability
          ? [{ cluster: c.name, reason: `where ${c.name} stores its telemetry was not read` }]
          : c.observability.traces === null
            ? [{ cluster: c.name, reason: `where ${c.name}'s OpenTelemetry collector sends traces was not read` }]
            : [],
      ),
    check: (env) =>
      eachCluster(env, (c) => {
        const o = c.observability;
        if (!o) return [];
        return [
          ...(o.metrics ? [] : [`${c.name}: metrics are not sent to Azure Monitor (Managed Prometheus off)`]),
          ...(o.logs ? [] : [`${c.name}: logs are not sent to Log Analytics (Container Insights off)`]),
          ...(o.traces === false ? [`${c.name}: traces are not exported to Application Insights`] : []),
        ];
      }),
  },
  {
    id: 'csi-secrets-at-mount',
    title: 'Key Vault CSI loads secrets at mount time and keeps them until the pod restarts: CSI add-on on, rotation on, Reloader to restart pods',
    reads: { cluster: ['cluster', 'workloads'] },
    check: (env) =>
      eachCluster(env, (c) => [
        ...(c.keyVaultCsi.enabled ? [] : [`${c.name}: Key Vault CSI add-on off`]),
        ...(c.keyVaultCsi.enabled && !c.keyVaultCsi.rotationEnabled ? [`${c.name}: Key Vault CSI rotation off (a mounted secret would never change)`] : []),
        ...(c.reloader.installed ? [] : [`${c.name}: no Reloader to restart pods when a secret changes`]),
      ]),
  },
  {
    id: 'spot-rescheduling',
    title: 'On a Spot eviction Karpenter reschedules the workloads: each app workload has a PodDisruptionBudget and spreads across zones',
    reads: { cluster: ['cluster', 'nodepools', 'workloads'] },
    clusters: SPEC.appClusters,
    lacks: (env) =>
      appClusters(env)
        .filter((c) => !c.spotWorkloads)
        .map((c) => ({ cluster: c.name, reason: `the workloads on ${c.name}'s Spot workers were not read` })),
    check: (env) =>
      eachOf(appClusters(env), (c) => {
        const out: string[] = [];
        const napReplaces = c.nodeProvisioning.mode === 'Auto' && c.karpenterNodePools.length > 0;
        const autoscalerReplaces = c.pools.some((p) => p.priority === 'Spot' && !!p.autoscaling);
        if (!napReplaces && !autoscalerReplaces) out.push(`${c.name}: nothing replaces an evicted Spot node (no Karpenter NodePool, no Spot autoscaler pool)`);
        if (!c.spotWorkloads) return out;
        if (c.spotWorkloads.length === 0) out.push(`${c.name}: no workload runs on the Spot workers`);
        for (const w of c.spotWorkloads) {
          if (!w.pdb) out.push(`${c.name}/${w.name} has no PodDisruptionBudget`);
          if (!w.zoneSpread) out.push(`${c.name}/${w.name} does not spread across zones`);
        }
        return out;
      }),
  },
  {
    id: 'opentofu-syntax',
    title: 'The infrastructure is OpenTofu code in Terraform syntax',
    reads: { environment: ['code'] },
    lacks: (env) => (env.build ? [] : [{ reason: 'only the code says which tool builds the environment; the running environment does not' }]),
    check: (env) => {
      const b = env.build;
      if (!b) return [];
      return [
        ...(/^tofu\b/.test(b.applyCommand ?? '') ? [] : [`the infrastructure is applied with ${b.applyCommand ?? 'no documented command'}, not tofu`]),
        ...(b.hclFiles > 0 ? [] : ['no .tf files']),
        ...b.tofuOnlyFiles.map((f) => `${f} is OpenTofu-only syntax (Terraform ignores .tofu files)`),
      ];
    },
  },
  {
    id: 'two-stage-install',
    title: 'Two separate stages: infrastructure (tofu apply), then the add-ons (install.sh)',
    reads: { environment: ['code'] },
    lacks: (env) => (env.build ? [] : [{ reason: 'only the code says how the stages are split; the running environment does not' }]),
    check: (env) => {
      const b = env.build;
      if (!b) return [];
      return [
        ...(b.installer ? [] : ['no add-on installer (addons/install.sh)']),
        ...b.provisioners.map((f) => `${f} runs a provisioner during tofu apply (the add-ons belong to the second stage)`),
      ];
    },
  },
];

const CLUSTER_READS: Record<ClusterSource, string> = {
  cluster: 'the managed cluster and its agent pools',
  nodepools: 'the Karpenter NodePools',
  workloads: 'the workloads, PodDisruptionBudgets and Helm releases',
  policies: 'the Kyverno ClusterPolicies',
  gitops: 'the Flux sources',
};

const ENVIRONMENT_READS: Record<EnvironmentSource, string> = {
  budget: 'the monthly budget',
  backup: 'the backup vault, its policy and instances',
  automation: 'the power-down schedules',
  tls: "the gateway's certificate and its copy in Key Vault",
  tlsReaders: "who may read the gateway's TLS Secret (Roles, ClusterRoles and their bindings)",
  code: 'the IaC code and the add-on installer',
};

const failed = (e: Evidence[]) => e.filter((x) => x.error).map((x) => `${x.read}: ${x.error}`);

function verdict(evidence: Evidence[], gaps: string[], problems: string[]): Verdict {
  const reads = failed(evidence);
  // A failed read leaves defaults in the model: its problems are not evidence, so it cannot tell.
  if (reads.length) return { status: 'unknown', detail: reads.join('; '), evidence };
  if (problems.length) return { status: 'fail', detail: problems.join('; '), evidence };
  if (gaps.length) return { status: 'unknown', detail: gaps.join('; '), evidence };
  return { status: 'pass', detail: 'ok', evidence };
}

export function evaluateRule(rule: ContractRule, env: EnvironmentModel): RuleResult {
  const names = env.clusters.map((c) => c.name);
  const owner = (p: string) => names.find((n) => p === n || [`${n}/`, `${n}:`, `${n} `].some((x) => p.startsWith(x)));
  const problems = rule.check(env);
  const gaps = rule.lacks?.(env) ?? [];
  const clusterReads = rule.reads.cluster ?? [];
  const judged = clusterReads.length ? names.filter((n) => !rule.clusters || rule.clusters.includes(n)) : [];
  const envEvidence = (rule.reads.environment ?? []).map((s) => env.evidence?.environment?.[s] ?? { read: ENVIRONMENT_READS[s] });
  // A cluster's problems may rest on an environment read too (the power-down path on the schedules): one that failed leaves it unknown as well.
  const envFailed = envEvidence.filter((e) => e.error);
  const clusters: ClusterVerdict[] = judged.map((n) => ({
    cluster: n,
    ...verdict(
      [...clusterReads.map((s) => env.evidence?.clusters?.[n]?.[s] ?? { read: `${n}: ${CLUSTER_READS[s]}` }), ...envFailed],
      gaps.filter((g) => g.cluster === n).map((g) => g.reason),
      problems.filter((p) => owner(p) === n),
    ),
  }));
  const whole = verdict(
    envEvidence,
    gaps.filter((g) => !g.cluster || !judged.includes(g.cluster)).map((g) => g.reason),
    problems.filter((p) => !judged.includes(owner(p) ?? '')),
  );
  const all = [whole, ...clusters];
  const status = all.some((v) => v.status === 'fail') ? 'fail' : all.some((v) => v.status === 'unknown') ? 'unknown' : 'pass';
  const details = [...new Set(all.filter((v) => v.status === status).map((v) => v.detail))];
  return {
    id: rule.id,
    title: rule.title,
    status,
    detail: status === 'pass' ? 'ok' : details.join('; '),
    evidence: [...new Set(all.flatMap((v) => v.evidence))],
    clusters,
  };
}

export function evaluateContract(env: EnvironmentModel): RuleResult[] {
  return rules.map((r) => evaluateRule(r, env));
}

export function findRule(id: string): ContractRule {
  const r = rules.find((x) => x.id === id);
  if (!r) throw new Error(`unknown contract rule ${id}`);
  return r;
}
