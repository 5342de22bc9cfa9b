import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR, loadEnvironment } from '../contract/model-from-hcl';
import { parseTfFile } from '../contract/tf-module';

const walk = (d: string): string[] =>
  fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
const tfFiles = walk(INFRA_DIR).filter((f) => f.endsWith('.tf'));
const MODULES = ['network', 'aks', 'identity', 'keyvault', 'acr', 'monitoring', 'backup', 'access', 'dashboard', 'budget', 'automation'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- hcl2json output of arbitrary shape; the assertions are the check
type J = Record<string, any>;
async function json(rel: string): Promise<J> {
  return parseTfFile(path.join(INFRA_DIR, rel));
}

describe('OpenTofu code', () => {
  it('has .tf files', () => expect(tfFiles.length).toBeGreaterThan(40));

  it.each(tfFiles.map((f) => [path.relative(INFRA_DIR, f), f]))('%s parses', async (_rel, f) => {
    const j = await parseTfFile(f);
    expect(Object.keys(j).length).toBeGreaterThan(0);
  });

  it.each(MODULES)('module %s has terraform.tf, main.tf, variables.tf, outputs.tf, README.md', (m) => {
    for (const f of ['terraform.tf', 'main.tf', 'variables.tf', 'outputs.tf', 'README.md'])
      expect(fs.existsSync(path.join(INFRA_DIR, 'modules', m, f)), `${m}/${f}`).toBe(true);
  });

  it('root and modules pin OpenTofu >= 1.11 and azurerm ~> 5.2', async () => {
    for (const dir of ['.', ...MODULES.map((m) => `modules/${m}`)]) {
      const t = (await json(`${dir}/terraform.tf`)).terraform[0];
      expect(t.required_version, dir).toBe('>= 1.11.0');
      expect(t.required_providers[0].azurerm.version, dir).toBe('~> 5.2');
    }
  });

  it('registers every resource provider the code uses', async () => {
    const { root } = await loadEnvironment();
    const rps = root.local('resource_providers') as string[];
    for (const rp of ['ContainerService', 'DataProtection', 'Dashboard', 'Monitor', 'OperationalInsights', 'KeyVault', 'ContainerRegistry',
      'Network', 'Compute', 'KubernetesConfiguration', 'Insights', 'AlertsManagement', 'Automation', 'Web', 'Consumption', 'Security', 'Storage'])
      expect(rps).toContain(`Microsoft.${rp}`);
    const provider = (await json('main.tf')).provider.azurerm[0];
    expect(provider.resource_providers_to_register).toBe('${local.resource_providers}');
    expect(provider.resource_provider_registrations).toBe('none');
  });

  it('every variable has a type and a description', async () => {
    for (const f of tfFiles.filter((x) => x.endsWith('variables.tf'))) {
      const vars = (await parseTfFile(f)).variable ?? {};
      for (const [name, [v]] of Object.entries(vars as Record<string, J[]>)) {
        expect(v.type, `${f}:${name}`).toBeTruthy();
        expect(v.description, `${f}:${name}`).toBeTruthy();
      }
    }
  });

  it('root variables validate what would cost money or break the contract', async () => {
    const vars = (await json('variables.tf')).variable as Record<string, J[]>;
    for (const name of ['kubernetes_version', 'istio_revision', 'worker_provisioning', 'worker_max_count', 'acr_name', 'key_vault_name', 'budget_contact_emails', 'bastion_sku', 'dashboard_hosting'])
      expect(vars[name][0].validation?.length, name).toBeGreaterThan(0);
    expect(vars.kubernetes_version[0].default).toBe('1.35'); // 1.34 leaves AKS support in Nov 2026
    expect(vars.istio_revision[0].default).toMatch(/^asm-1-(3\d|[4-9]\d)$/); // asm-1-28 is past end of life
    expect(vars.worker_provisioning[0].default).toBe('nap');
    expect(vars.worker_provisioning[0].validation[0].condition).toContain('"autoscaler"');
    const budget = (await json('modules/budget/variables.tf')).variable.amount[0];
    expect(budget.validation[0].condition).toContain('250');
  });

  it('network: the planned CIDRs, Bastion subnet, shared private DNS zone, full-mesh peering, VNet flow logs', async () => {
    const { root } = await loadEnvironment();
    expect(root.local('vnets')).toMatchObject({ mgmt: { cidr: '10.1.0.0/16' }, app1: { cidr: '10.2.0.0/16' }, app2: { cidr: '10.3.0.0/16' } });
    expect(root.local('bastion_subnet_cidr')).toBe('10.1.100.0/26');
    expect(root.local('aks_private_dns_zone')).toBe('privatelink.koreacentral.azmk8s.io');
    const net = root.module('network')[0];
    expect(net.resources('azurerm_virtual_network_peering', 'this').map((r) => r.key).sort()).toEqual(
      ['app1-to-app2', 'app1-to-mgmt', 'app2-to-app1', 'app2-to-mgmt', 'mgmt-to-app1', 'mgmt-to-app2']);
    expect(net.resources('azurerm_private_dns_zone_virtual_network_link', 'aks')).toHaveLength(3);
    expect(net.resources('azurerm_subnet', 'bastion')[0].get('name')).toBe('AzureBastionSubnet');
    const flow = net.resources('azurerm_network_watcher_flow_log', 'vnet');
    expect(flow).toHaveLength(3);
    for (const f of flow) {
      expect(f.raw.target_resource_id).toContain('azurerm_virtual_network.this');
      expect(f.raw).not.toHaveProperty('network_security_group_id');
      expect(f.blocks('traffic_analytics')[0]).toMatchObject({ enabled: true, interval_in_minutes: 10 });
    }
  });

  it('aks: Standard tier, version variable, CNI overlay + Cilium, private DNS zone, monitoring, OIDC', async () => {
    const { root } = await loadEnvironment();
    const aks = root.module('aks')[0];
    for (const c of aks.resources('azurerm_kubernetes_cluster', 'this')) {
      expect(c.get('sku_tier')).toBe('Standard');
      expect(c.get('kubernetes_version')).toBe('1.35');
      expect(c.blocks('network_profile')[0]).toMatchObject({ network_plugin: 'azure', network_plugin_mode: 'overlay', network_data_plane: 'cilium' });
      expect(c.raw.private_dns_zone_id).toBe('${var.private_dns_zone_id}');
      expect(c.get('oidc_issuer_enabled')).toBe(true);
      expect(c.get('workload_identity_enabled')).toBe(true);
      expect(c.blocks('monitor_metrics')).toHaveLength(1);
      expect(c.blocks('oms_agent')).toHaveLength(1);
      expect(c.blocks('default_node_pool')[0]).toMatchObject({ node_count: 3, vm_size: 'Standard_D2s_v5' });
    }
    expect(aks.resources('azurerm_monitor_data_collection_rule_association', 'prometheus')).toHaveLength(3);
    const diag = aks.resources('azurerm_monitor_diagnostic_setting', 'aks')[0];
    expect(diag.blocks('enabled_log').map((l) => l.category)).toHaveLength(7); // the seven control-plane log categories
    expect(aks.resources('azurerm_monitor_metric_alert', 'cpu_high')[0].blocks('criteria')[0].threshold).toBe(90);
    expect(aks.resources('azurerm_monitor_scheduled_query_rules_alert_v2', 'crashloop')).toHaveLength(3);
  });

  it('the ingress pool is labelled for the Istio add-on and not tainted', async () => {
    const { root } = await loadEnvironment();
    const ingress = root.module('aks')[0].resources('azurerm_kubernetes_cluster_node_pool', 'ingress');
    expect(ingress.map((p) => p.key).sort()).toEqual(['app1', 'mgmt']);
    for (const p of ingress) {
      expect(p.get('node_labels')).toEqual({ role: 'ingress', 'azureservicemesh/istio.replica.preferred': 'true' });
      expect(p.raw.node_taints).toBeUndefined();
      expect(p.get('node_count')).toBe(3);
    }
  });

  it('backup, budget, access, dashboard and Entra app roles are all there', async () => {
    const { root } = await loadEnvironment();
    const b = root.module('backup')[0];
    expect(b.resourcesOfType('azurerm_role_assignment').length).toBeGreaterThanOrEqual(7);
    expect(b.resources('azurerm_data_protection_backup_policy_kubernetes_cluster', 'daily')[0].get('backup_repeating_time_intervals'))
      .toEqual(['R/2026-01-01T02:00:00+00:00/P1D']);
    const budget = root.module('budget')[0].resources('azurerm_consumption_budget_subscription', 'monthly')[0];
    expect(budget.get('amount')).toBe(250);
    const access = root.module('access')[0];
    expect(access.resources('azurerm_linux_virtual_machine', 'jump')[0].get('size')).toBe('Standard_B2s');
    expect(access.resources('azurerm_network_interface', 'jump')[0].blocks('ip_configuration')[0]).not.toHaveProperty('public_ip_address_id');
    expect(access.resources('azurerm_bastion_host', 'this')[0].get('tunneling_enabled')).toBe(true); // Standard by default
    const dash = root.module('dashboard')[0];
    const app = dash.resources('azuread_application', 'dashboard')[0];
    expect(app.blocks('app_role').map((r) => r.value).sort()).toEqual(['Admin', 'Operator', 'Reader']);
    expect(dash.resources('azurerm_linux_web_app', 'this')).toHaveLength(1);
    // No artifact given: the newest LTS stack App Service offers (with one, the artifact's own Node major).
    expect(dash.resources('azurerm_linux_web_app', 'this')[0].blocks('site_config')[0]).toMatchObject({ application_stack: [{ node_version: '24-lts' }] });
  });

  it('dashboard_hosting = jump_vm builds no App Service', async () => {
    const { root } = await loadEnvironment({ variables: { dashboard_hosting: 'jump_vm' } });
    expect(root.module('dashboard')[0].resources('azurerm_linux_web_app', 'this')).toHaveLength(0);
  });
});
