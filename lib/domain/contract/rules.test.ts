import { describe, expect, it } from 'vitest';
import type { EnvironmentModel } from './model';
import { evaluateContract, evaluateRule, findRule, meshMinor, referenceEnvironment, rules } from './index';

type Breaker = [string, (e: EnvironmentModel) => void];

const status = (id: string, env: EnvironmentModel) => evaluateRule(findRule(id), env);
const cl = (e: EnvironmentModel, n: string) => e.clusters.find((c) => c.name === n)!;

describe.each(['nap', 'autoscaler'] as const)('reference environment (%s)', (workers) => {
  it('passes every rule', () => {
    const results = evaluateContract(referenceEnvironment(workers));
    expect(results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(results.map((r) => r.id)).toEqual([
      'regular-system-and-ingress', 'three-zones', 'private-api-server', 'backup-wired', 'budget-and-power-down', 'kyverno-on-app-clusters',
      'flux-with-deploy-key', 'tls-key-in-key-vault', 'key-rotation-reaches-pods', 'spot-only-workers', 'mesh-and-defender',
      'app-independent-of-mgmt', 'observability-in-azure-monitor', 'csi-secrets-at-mount', 'spot-rescheduling', 'opentofu-syntax', 'two-stage-install',
    ]);
    for (const r of results) expect(r.evidence.length, r.id).toBeGreaterThan(0);
  });
});

// Each broken fixture must make exactly the named rule fail (and the detail say why).
const broken: Record<string, Breaker[]> = {
  'regular-system-and-ingress': [
    ['system pool on Spot', (e) => void (cl(e, 'mgmt').pools[0].priority = 'Spot')],
    ['ingress pool on Spot', (e) => void (cl(e, 'app1').pools.find((p) => p.name === 'ingress')!.priority = 'Spot')],
  ],
  'three-zones': [
    ['system pool in two zones', (e) => void (cl(e, 'app2').pools[0].zones = ['1', '2'])],
    ['Karpenter NodePool in one zone', (e) => void (cl(e, 'app1').karpenterNodePools[0].zones = ['koreacentral-1'])],
  ],
  'private-api-server': [
    ['public API server', (e) => void (cl(e, 'app1').privateCluster = false)],
    ['public FQDN', (e) => void (cl(e, 'mgmt').publicFqdn = true)],
  ],
  'backup-wired': [
    ['locally redundant vault', (e) => void (e.backup!.vaultRedundancy = 'LocallyRedundant')],
    ['no blob container for app2', (e) => void (e.backup!.storageContainers = ['mgmt', 'app1'])],
    ['no trusted access', (e) => void (e.backup!.trustedAccess = [])],
    ['no backup at all', (e) => void (e.backup = null)],
  ],
  'budget-and-power-down': [
    ['budget 500', (e) => void (e.budget!.amount = 500)],
    ['no budget', (e) => void (e.budget = null)],
    ['no schedule', (e) => void (e.powerSchedule = null)],
    ['stop on a NAP cluster (AKS refuses it)', (e) => {
      const c = cl(e, 'app1');
      c.nodeProvisioning.mode = 'Auto';
      c.powerStrategy = 'stop';
    }],
  ],
  'kyverno-on-app-clusters': [
    ['Kyverno on mgmt', (e) => void (cl(e, 'mgmt').kyverno = { installed: true, mode: 'Enforce' })],
    ['Kyverno Audit on app2', (e) => void (cl(e, 'app2').kyverno.mode = 'Audit')],
    ['allow-list without mcr.microsoft.com', (e) => void (e.kyverno!.allowedRegistries = e.kyverno!.allowedRegistries.filter((r) => !r.startsWith('mcr.')))],
    ['allow-list without ghcr.io', (e) => void (e.kyverno!.allowedRegistries = e.kyverno!.allowedRegistries.filter((r) => !r.startsWith('ghcr.')))],
    ['flux-system not excluded', (e) => void (e.kyverno!.excludedNamespaces = e.kyverno!.excludedNamespaces.filter((n) => n !== 'flux-system'))],
    ['require-labels in Enforce', (e) => void (e.kyverno!.policies.find((p) => p.name === 'require-labels')!.action = 'Enforce')],
  ],
  'flux-with-deploy-key': [
    ['HTTPS token', (e) => void (cl(e, 'app2').flux.auth = 'https-token')],
    ['no Flux on mgmt', (e) => void (cl(e, 'mgmt').flux.installed = false)],
  ],
  'tls-key-in-key-vault': [
    ['no PushSecret', (e) => void (e.tls!.pushSecretToKeyVault = false)],
    ['one-year certificate', (e) => void (e.tls!.certificateDurationHours = 8760)],
    ['Secret readable by anyone in the namespace', (e) => void (e.tls!.secretReadRestricted = false)],
  ],
  'key-rotation-reaches-pods': [
    ['CSI rotation off', (e) => void (cl(e, 'app1').keyVaultCsi.rotationEnabled = false)],
    ['no Reloader on app2', (e) => void (cl(e, 'app2').reloader.installed = false)],
    ['no annotated workload', (e) => void (e.tls!.reloaderAnnotated = [])],
  ],
  'spot-only-workers': [
    ['on-demand capacity allowed', (e) => void (cl(e, 'mgmt').karpenterNodePools[0].capacityTypes = ['spot', 'on-demand'])],
    ['no nodeClassRef', (e) => void (cl(e, 'app1').karpenterNodePools[0].nodeClassRef = null)],
    ['any VM size', (e) => void (cl(e, 'app1').karpenterNodePools[0].skuNames = [])],
    ['NAP default pools kept', (e) => void (cl(e, 'app2').nodeProvisioning.defaultNodePools = 'Auto')],
    ['Regular worker pool', (e) => void cl(e, 'app2').pools.push({ name: 'worker2', mode: 'User', priority: 'Regular', zones: ['1', '2', '3'], taints: [], labels: {} })],
  ],
  'mesh-and-defender': [
    ['no mesh on app1', (e) => void (cl(e, 'app1').serviceMesh = { declared: false, revisions: [] })],
    ['deprecated revision asm-1-28', (e) => void (cl(e, 'mgmt').serviceMesh.revisions = ['asm-1-28'])],
    ['no Defender on app2', (e) => void (cl(e, 'app2').defender.declared = false)],
  ],
  'app-independent-of-mgmt': [
    ['app1 pulls its Flux source from mgmt', (e) => void (cl(e, 'app1').mgmtReferences = ['GitRepository flux-system/gitops-config (ssh://git@aks-mgmt…)'])],
  ],
  'observability-in-azure-monitor': [
    ['Managed Prometheus off on mgmt', (e) => void (cl(e, 'mgmt').observability!.metrics = false)],
    ['Container Insights off on app2', (e) => void (cl(e, 'app2').observability!.logs = false)],
    ['traces kept in the cluster on app1', (e) => void (cl(e, 'app1').observability!.traces = false)],
  ],
  'csi-secrets-at-mount': [
    ['no CSI add-on on app1', (e) => void (cl(e, 'app1').keyVaultCsi = { enabled: false, rotationEnabled: false })],
    ['CSI rotation off on mgmt', (e) => void (cl(e, 'mgmt').keyVaultCsi.rotationEnabled = false)],
    ['no Reloader on app2', (e) => void (cl(e, 'app2').reloader.installed = false)],
  ],
  'spot-rescheduling': [
    ['demo-app without a PDB', (e) => void (cl(e, 'app1').spotWorkloads![0].pdb = false)],
    ['demo-app without zone spread', (e) => void (cl(e, 'app2').spotWorkloads![0].zoneSpread = false)],
    ['nothing on Spot', (e) => void (cl(e, 'app2').spotWorkloads = [])],
    ['no Karpenter NodePool', (e) => void (cl(e, 'app1').karpenterNodePools = [])],
  ],
  'opentofu-syntax': [
    ['applied with terraform', (e) => void (e.build!.applyCommand = 'terraform apply')],
    ['a .tofu file', (e) => void (e.build!.tofuOnlyFiles = ['main.tofu'])],
  ],
  'two-stage-install': [
    ['no installer', (e) => void (e.build!.installer = false)],
    ['apply runs a provisioner', (e) => void (e.build!.provisioners = ['main.tf'])],
  ],
};

describe('every rule has broken fixtures', () => {
  it('covers all rules', () => {
    expect(Object.keys(broken).sort()).toEqual(rules.map((r) => r.id).sort());
  });
});

describe.each(Object.entries(broken))('%s', (id, breakers) => {
  it.each(breakers)('fails when: %s', (_label, breakIt) => {
    const env = referenceEnvironment('nap');
    breakIt(env);
    const r = status(id, env);
    expect(r.status).toBe('fail');
    expect(r.detail).not.toBe('ok');
  });
});

describe('cannot tell', () => {
  it('a failed read makes the rule unknown for that cluster, with the error and when it last answered', () => {
    const env = referenceEnvironment();
    cl(env, 'app1').privateCluster = false; // what a failed read leaves behind is no evidence
    env.evidence = { clusters: { app1: { cluster: { read: 'ARM managedClusters/aks-app1', at: 1_000, error: 'timed out' } } } };
    const r = status('private-api-server', env);
    expect(r.status).toBe('unknown');
    expect(r.detail).toBe('ARM managedClusters/aks-app1: timed out');
    expect(r.clusters.map((c) => [c.cluster, c.status])).toEqual([['mgmt', 'pass'], ['app1', 'unknown'], ['app2', 'pass']]);
    expect(r.clusters[1].evidence).toEqual([{ read: 'ARM managedClusters/aks-app1', at: 1_000, error: 'timed out' }]);
  });
  it('a failure elsewhere still fails the rule', () => {
    const env = referenceEnvironment();
    cl(env, 'app2').privateCluster = false;
    env.evidence = { clusters: { app1: { cluster: { read: 'ARM', error: 'timed out' } } } };
    const r = status('private-api-server', env);
    expect(r.status).toBe('fail');
    expect(r.detail).toBe('app2 is not a private cluster');
    expect(r.clusters.find((c) => c.cluster === 'app2')!.status).toBe('fail');
  });
  it('an environment read that failed makes an environment rule unknown', () => {
    const env = referenceEnvironment();
    env.budget = null;
    env.evidence = { environment: { budget: { read: 'Consumption budget', error: 'forbidden' } } };
    expect(status('budget-and-power-down', env)).toMatchObject({ status: 'unknown', detail: 'Consumption budget: forbidden' });
  });
  it('a cluster whose problem rests on a failed environment read cannot tell either', () => {
    const env = referenceEnvironment();
    env.powerSchedule = null;
    for (const c of env.clusters) c.powerStrategy = 'none'; // what an unread schedule list leaves behind
    env.evidence = { environment: { automation: { read: 'Automation schedules', at: 5, error: 'timed out' } } };
    const r = status('budget-and-power-down', env);
    expect(r.status).toBe('unknown');
    expect(r.clusters.every((c) => c.status === 'unknown')).toBe(true);
    expect(r.detail).toBe('Automation schedules: timed out');
    expect(r.evidence.filter((e) => e.error)).toHaveLength(1);
  });
  it.each([
    ['app-independent-of-mgmt', (e: EnvironmentModel): void => { delete cl(e, 'app1').mgmtReferences; }, 'app1'],
    ['observability-in-azure-monitor', (e: EnvironmentModel): void => { cl(e, 'mgmt').observability!.traces = null; }, 'mgmt'],
    ['spot-rescheduling', (e: EnvironmentModel): void => { delete cl(e, 'app2').spotWorkloads; }, 'app2'],
  ] as const)('%s: a field the model lacks is "cannot tell" with the reason', (id, breakIt, cluster) => {
    const env = referenceEnvironment();
    breakIt(env);
    const r = status(id, env);
    expect(r.status).toBe('unknown');
    expect(r.detail).toContain(cluster);
    expect(r.clusters.find((c) => c.cluster === cluster)!.status).toBe('unknown');
  });
  it.each(['opentofu-syntax', 'two-stage-install'])('%s cannot tell without the code', (id) => {
    const env = referenceEnvironment();
    delete env.build;
    expect(status(id, env)).toMatchObject({ status: 'unknown', clusters: [] });
  });
  it('Roles not read leave the TLS rule unknown, a real problem still fails it', () => {
    const env = referenceEnvironment();
    env.tls!.secretReadRestricted = null;
    expect(status('tls-key-in-key-vault', env).status).toBe('unknown');
    env.tls!.pushSecretToKeyVault = false;
    expect(status('tls-key-in-key-vault', env).status).toBe('fail');
  });
  it('a TLS Secret readable without a name fails with what grants the read', () => {
    const env = referenceEnvironment();
    env.tls!.secretReadRestricted = false;
    env.tls!.secretReadGaps = ['app1: Role aks-istio-ingress/wide lets ServiceAccount demo/web list every Secret in aks-istio-ingress'];
    expect(evaluateRule(findRule('tls-key-in-key-vault'), env)).toMatchObject({ status: 'fail', detail: env.tls!.secretReadGaps[0] });
  });
  it('app-only rules judge the app clusters only', () => {
    expect(status('spot-rescheduling', referenceEnvironment()).clusters.map((c) => c.cluster)).toEqual(['app1', 'app2']);
  });
});

describe('autoscaler-specific failures', () => {
  it('spot-only-workers fails when the Spot worker pool has min > 0', () => {
    const env = referenceEnvironment('autoscaler');
    cl(env, 'app1').pools.find((p) => p.name === 'worker')!.autoscaling = { min: 1, max: 5 };
    expect(status('spot-only-workers', env).status).toBe('fail');
  });
  it('spot-only-workers fails when a Manual cluster has no worker pool at all', () => {
    const env = referenceEnvironment('autoscaler');
    cl(env, 'mgmt').pools = cl(env, 'mgmt').pools.filter((p) => p.name !== 'worker');
    expect(status('spot-only-workers', env).detail).toContain('no Spot worker pool');
  });
  it('the budget rule passes a full stop only where NAP is off', () => {
    const env = referenceEnvironment('autoscaler');
    expect(status('budget-and-power-down', env).status).toBe('pass');
    cl(env, 'app2').nodeProvisioning.mode = 'Auto';
    expect(status('budget-and-power-down', env).detail).toContain('full stop is refused by AKS with node auto-provisioning');
  });
});

describe('meshMinor', () => {
  it.each([['asm-1-30', 30], ['asm-1-28', 28], ['istio-1.30', Number.NaN]])('%s → %s', (r, n) => {
    expect(meshMinor(r)).toBe(n);
  });
});
