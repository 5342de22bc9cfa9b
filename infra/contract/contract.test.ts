import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateContract, findRule, evaluateRule, rules } from '../../lib/domain/contract';
import { INFRA_DIR, loadEnvironment, loadEnvironmentModel, type LoadOptions } from './model-from-hcl';

const T = 60_000;

describe.each(['nap', 'autoscaler'] as const)('the real infra (worker_provisioning = %s)', (workers) => {
  it('passes every contract rule', async () => {
    const results = evaluateContract(await loadEnvironmentModel({ workerProvisioning: workers }));
    expect(results.map((r) => r.id).sort()).toEqual(rules.map((r) => r.id).sort());
    expect(results.filter((r) => r.status !== 'pass')).toEqual([]);
  }, T);

  it('loads what the mode means', async () => {
    const { model, dryRun } = await loadEnvironment({ workerProvisioning: workers });
    expect(model.clusters.map((c) => c.name)).toEqual(['mgmt', 'app1', 'app2']);
    for (const c of model.clusters) {
      if (workers === 'nap') {
        expect(c.nodeProvisioning).toEqual({ mode: 'Auto', defaultNodePools: 'None' });
        expect(c.karpenterNodePools.map((n) => n.name)).toEqual(['spot-workers']);
        expect(c.pools.some((p) => p.name === 'worker')).toBe(false);
        expect(c.powerStrategy).toBe('sleep'); // AKS refuses to stop NAP clusters
      } else {
        expect(c.nodeProvisioning.mode).toBe('Manual');
        expect(c.karpenterNodePools).toEqual([]);
        const w = c.pools.find((p) => p.name === 'worker')!;
        expect(w).toMatchObject({ priority: 'Spot', zones: ['1', '2', '3'], autoscaling: { min: 0, max: 5 } });
        expect(c.powerStrategy).toBe('stop');
      }
    }
    const karpenterSteps = dryRun.filter((s) => s.step === '08-karpenter-nodepool');
    expect(karpenterSteps.every((s) => s.commands.some((c) => c.includes('manifests/karpenter/nodepool-spot.yaml')))).toBe(workers === 'nap');
  }, T);
});

// The same rules must fail when the code itself is broken: copy infra/, break one thing, reload.
const tmpRoots: string[] = [];
afterAll(() => tmpRoots.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

type Edit = [file: string, from: string | RegExp, to: string];

async function brokenModel(edits: Edit[], opts: LoadOptions = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-broken-'));
  tmpRoots.push(dir);
  fs.cpSync(INFRA_DIR, dir, { recursive: true, filter: (s) => !s.includes(`${path.sep}node_modules`) });
  for (const [file, from, to] of edits) {
    const p = path.join(dir, file);
    const before = fs.readFileSync(p, 'utf8');
    const after = before.replace(from, to);
    if (after === before) throw new Error(`fixture edit did not apply: ${file} ${String(from)}`);
    fs.writeFileSync(p, after);
  }
  return loadEnvironmentModel({ ...opts, infraDir: dir });
}

const cases: [rule: string, label: string, edits: Edit[], opts?: LoadOptions][] = [
  ['regular-system-and-ingress', 'ingress pool on Spot', [['modules/aks/main.agent_pool.tf', 'priority              = "Regular"', 'priority              = "Spot"']]],
  ['three-zones', 'ingress pool in one zone', [['modules/aks/main.agent_pool.tf', /zones                 = var.zones/, 'zones                 = ["1"]']]],
  ['three-zones', 'root zones 1 and 2 only', [['locals.tf', 'zones    = ["1", "2", "3"]', 'zones    = ["1", "2"]']]],
  ['private-api-server', 'public API server', [['modules/aks/main.tf', 'private_cluster_enabled             = true', 'private_cluster_enabled             = false']]],
  ['private-api-server', 'public FQDN', [['modules/aks/main.tf', 'private_cluster_public_fqdn_enabled = false', 'private_cluster_public_fqdn_enabled = true']]],
  ['backup-wired', 'locally redundant vault', [['modules/backup/variables.tf', 'default     = "ZoneRedundant"', 'default     = "LocallyRedundant"']]],
  ['backup-wired', 'no trusted access', [['modules/backup/main.extension.tf', /for_each              = var.clusters/, 'for_each              = {}']]],
  ['budget-and-power-down', 'budget of $500', [['locals.tf', 'budget_amount = 250', 'budget_amount = 500']]],
  ['budget-and-power-down', 'no power-down path', [['variables.tf', /(automation_power_enabled"[\s\S]*?default\s+=) true/, '$1 false']]],
  ['budget-and-power-down', 'nightly stop on NAP clusters', [['locals.tf', /power_strategy = var.worker_provisioning == "nap" \? "sleep" : "stop"/, 'power_strategy = "stop"']]],
  ['kyverno-on-app-clusters', 'Kyverno also on mgmt', [['addons/scripts/05-kyverno.sh', '# scope: app1 app2', '# scope: mgmt app1 app2']]],
  ['kyverno-on-app-clusters', 'allow-list without mcr.microsoft.com', [['manifests/kyverno/restrict-image-registries.yaml', /mcr\.microsoft\.com\/\* \| /g, '']]],
  ['kyverno-on-app-clusters', 'registries policy in Audit', [['manifests/kyverno/restrict-image-registries.yaml', 'failureAction: Enforce', 'failureAction: Audit']]],
  ['flux-with-deploy-key', 'Flux without the SSH deploy key', [['addons/scripts/06-flux.sh', '    --ssh-private-key-file "${key}" \\\n', '']]],
  ['flux-with-deploy-key', 'Flux without --cluster-type', [['addons/scripts/06-flux.sh', '    --cluster-type managedClusters \\\n', '']]],
  ['tls-key-in-key-vault', 'one-year certificate', [['manifests/cert-manager/certificate-gateway.yaml', 'duration: 2160h', 'duration: 8760h']]],
  ['tls-key-in-key-vault', 'no PushSecret', [['addons/scripts/02-external-secrets.sh', 'manifests/external-secrets/push-secret.yaml ', '']]],
  ['tls-key-in-key-vault', 'Secret readable without a name', [['manifests/external-secrets/tls-secret-rbac.yaml', '    resourceNames: ["gateway-tls"]\n', '']]],
  ['key-rotation-reaches-pods', 'CSI rotation off', [['modules/aks/main.tf', 'secret_rotation_enabled  = true', 'secret_rotation_enabled  = false']]],
  ['key-rotation-reaches-pods', 'no Reloader', [['addons/install.sh', '  03-reloader\n', '']]],
  ['spot-only-workers', 'on-demand allowed in the NodePool', [['manifests/karpenter/nodepool-spot.yaml', 'values: ["spot"]', 'values: ["spot", "on-demand"]']]],
  ['spot-only-workers', 'NAP default node pools kept', [['modules/aks/main.tf', 'default_node_pools = local.nap ? "None" : "Auto"', 'default_node_pools = "Auto"']]],
  ['spot-only-workers', 'autoscaler worker pool on Regular', [['modules/aks/main.agent_pool.tf', 'priority              = "Spot"', 'priority              = "Regular"']], { workerProvisioning: 'autoscaler' }],
  ['mesh-and-defender', 'Defender not declared', [['modules/aks/main.tf', /microsoft_defender \{[^}]*\}/, '']]],
  ['mesh-and-defender', 'asm-1-28 revision', [['variables.tf', 'default     = "asm-1-30"', 'default     = "asm-1-28"']]],
  ['app-independent-of-mgmt', 'demo-app calls a service on mgmt', [['manifests/examples/demo-app.yaml', '          ports: [{ containerPort: 80 }]', '          env: [{ name: UPSTREAM, value: "https://aks-mgmt.internal" }]\n          ports: [{ containerPort: 80 }]']]],
  ['observability-in-azure-monitor', 'Managed Prometheus off', [['modules/aks/main.tf', /  monitor_metrics \{\}.*\n/, '']]],
  ['observability-in-azure-monitor', 'traces not exported to Application Insights', [['addons/values/otel-collector.yaml', 'exporters: [azuremonitor]', 'exporters: [debug]']]],
  ['csi-secrets-at-mount', 'no Key Vault CSI add-on', [['modules/aks/main.tf', /key_vault_secrets_provider \{[^}]*\}/, '']]],
  ['spot-rescheduling', 'demo-app without zone spread', [['manifests/examples/demo-app.yaml', /      topologySpreadConstraints:\n(        .*\n)+/, '']]],
  ['spot-rescheduling', 'demo-app without a PDB', [['manifests/examples/demo-app.yaml', 'kind: PodDisruptionBudget', 'kind: PodDisruptionBudgetRemoved']]],
  ['opentofu-syntax', 'applied with terraform', [['README.md', 'tofu init && tofu apply`', 'terraform init && terraform apply`']]],
  ['two-stage-install', 'apply runs the add-on installer', [['main.tf', '  tags     = local.tags\n}', '  tags     = local.tags\n\n  provisioner "local-exec" {\n    command = "addons/install.sh --cluster all"\n  }\n}']]],
];

describe('broken infra fails the rule it breaks', () => {
  it('covers every rule', () => {
    expect([...new Set(cases.map((c) => c[0]))].sort()).toEqual(rules.map((r) => r.id).sort());
  });
  it.each(cases)('%s: %s', async (rule, _label, edits, opts) => {
    const r = evaluateRule(findRule(rule), await brokenModel(edits, opts));
    expect(r.status, r.detail).toBe('fail');
  }, T);
});
