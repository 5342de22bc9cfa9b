import type { ClusterModel, EnvironmentModel, RuleResult } from './model';
import { SPEC, zoneNumber } from './spec';

export interface ContractRule {
  id: string;
  title: string;
  check(env: EnvironmentModel): string[]; // problems; empty = pass
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
  if (env.clusters.length === 0) return ['no clusters in the model'];
  return env.clusters.flatMap(f);
}

export const rules: ContractRule[] = [
  {
    id: 'regular-system-and-ingress',
    title: 'System and ingress node pools run on Regular VMs, never Spot',
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
    check: (env) =>
      eachCluster(env, (c) => [
        ...(c.privateCluster ? [] : [`${c.name} is not a private cluster`]),
        ...(c.publicFqdn ? [`${c.name} publishes a public FQDN for its API server`] : []),
      ]),
  },
  {
    id: 'backup-wired',
    title: 'AKS backup fully wired for every cluster (operational tier, state in a blob container per cluster; ZoneRedundant vault)',
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
    title: 'TLS private key: Key Vault holds it; the Secret is short-lived and RBAC-restricted (the Istio gateway can only read a Secret)',
    check: (env) => {
      const t = env.tls;
      if (!t) return ['no TLS certificate handling'];
      const out: string[] = [];
      if (!t.pushSecretToKeyVault) out.push('no PushSecret to Key Vault');
      if (t.certificateDurationHours === null) out.push('certificate duration not set');
      else if (t.certificateDurationHours > SPEC.maxCertificateHours)
        out.push(`certificate lives ${t.certificateDurationHours} h > ${SPEC.maxCertificateHours} h`);
      if (!t.secretReadRestricted) out.push('TLS Secret readable without a name-scoped Role');
      return out;
    },
  },
  {
    id: 'key-rotation-reaches-pods',
    title: 'Key Vault rotation reaches pods unattended (CSI rotation + Reloader)',
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
];

export function evaluateRule(rule: ContractRule, env: EnvironmentModel): RuleResult {
  const problems = rule.check(env);
  return {
    id: rule.id,
    title: rule.title,
    status: problems.length === 0 ? 'pass' : 'fail',
    detail: problems.length === 0 ? 'ok' : problems.join('; '),
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
