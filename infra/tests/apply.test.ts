/**
 * Faults that `tofu plan` accepts but that stop or spoil `tofu apply` against Azure. Each test
 * reads the code as written (HCL parsed, evaluated like a plan) and names the Azure rule it keeps.
 */
import { parse } from '@cdktf/hcl2json';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR, loadEnvironment } from '../contract/model-from-hcl';
import { parseTfFile } from '../contract/tf-module';
import { tfModuleDirs, userAssignedPrincipalRefs } from '../schema/check';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- hcl2json output of arbitrary shape; the assertions are the check
type J = Record<string, any>;
const json = (rel: string): Promise<J> => parseTfFile(path.join(INFRA_DIR, rel));

async function moduleFiles(dir: string) {
  const files: Record<string, J> = {};
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.tf')).sort()) files[f] = await parseTfFile(path.join(dir, f));
  return files;
}

describe('principal ids that Azure actually returns', () => {
  it.each(tfModuleDirs(INFRA_DIR).map((d) => [path.relative(INFRA_DIR, d) || '.', d]))(
    '%s reads no identity[0].principal_id of a user-assigned-only resource', async (_rel, dir) => {
      expect(userAssignedPrincipalRefs(await moduleFiles(dir))).toEqual([]);
    });

  it('flags the old aks output (cluster identity[0].principal_id through a for expression)', async () => {
    const files = {
      'main.tf': await parse('main.tf', `
        resource "azurerm_kubernetes_cluster" "this" {
          for_each = var.clusters
          identity {
            type         = "UserAssigned"
            identity_ids = [var.id]
          }
        }`),
      'outputs.tf': await parse('outputs.tf', `
        output "clusters" {
          value = { for k, v in azurerm_kubernetes_cluster.this : k => { control_plane_principal_id = v.identity[0].principal_id } }
        }`),
    };
    expect(userAssignedPrincipalRefs(files).map((f) => f.where)).toEqual(['outputs.tf']);
  });

  it('the snapshot group Contributor goes to the user-assigned control-plane identity', async () => {
    const out = (await json('modules/aks/outputs.tf')).output.clusters[0].value as string;
    expect(out).toContain('var.identities[k].control_plane_principal_id');
    const ids = (await json('modules/identity/outputs.tf')).output.cluster_identities[0].value as string;
    expect(ids).toMatch(/control_plane_principal_id\s*=\s*azurerm_user_assigned_identity\.control_plane\[k\]\.principal_id/);
    const roles = (await json('modules/backup/main.roles.tf')).resource.azurerm_role_assignment.cluster_snapshot_rg[0];
    expect(roles.principal_id).toBe('${each.value.control_plane_principal_id}');
  });
});

describe('budget start date', () => {
  it('is the first of the current month (UTC) at plan time, and kept once created', async () => {
    const { root } = await loadEnvironment();
    const budget = root.module('budget')[0];
    const now = new Date();
    const first = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-01T00:00:00Z`;
    expect(budget.local('start_date')).toBe(first);
    const r = budget.resources('azurerm_consumption_budget_subscription', 'monthly')[0];
    expect(r.blocks('time_period')[0].start_date).toBe(first);
    expect((r.raw as J).lifecycle[0].ignore_changes).toContain('${time_period}');
  });

  it('an explicit start_date still wins', async () => {
    const { root } = await loadEnvironment();
    const b = root.module('budget')[0];
    const m = new (b.constructor as typeof import('../contract/tf-module').ModuleInstance)(b.files, { start_date: () => '2027-03-01T00:00:00Z' });
    expect(m.local('start_date')).toBe('2027-03-01T00:00:00Z');
  });
});

describe('create order', () => {
  it('each cluster waits for the roles of its control-plane identity (no race on the first apply)', async () => {
    const out = (await json('modules/identity/outputs.tf')).output.cluster_identities[0];
    expect(out.depends_on).toEqual(expect.arrayContaining([
      '${azurerm_role_assignment.kubelet_operator}', '${azurerm_role_assignment.private_dns}', '${azurerm_role_assignment.network}',
    ]));
    const cluster = (await json('modules/aks/main.tf')).resource.azurerm_kubernetes_cluster.this[0];
    expect(cluster.identity[0].identity_ids).toEqual(['${var.identities[each.key].control_plane_id}']);
    expect((await json('main.tf')).module.aks[0].identities).toBe('${module.identity.cluster_identities}');
  });
});

describe('no perpetual diff', () => {
  it('the autoscaler Spot pool declares the label and taint AKS adds to Spot nodes', async () => {
    const { root } = await loadEnvironment({ workerProvisioning: 'autoscaler' });
    const pools = root.module('aks')[0].resources('azurerm_kubernetes_cluster_node_pool', 'worker');
    expect(pools).toHaveLength(3);
    for (const p of pools) {
      expect(p.get('priority')).toBe('Spot');
      expect(p.get('node_labels')).toMatchObject({ 'kubernetes.azure.com/scalesetpriority': 'spot' });
      expect(p.get('node_taints')).toEqual(['kubernetes.azure.com/scalesetpriority=spot:NoSchedule']);
    }
  });
});

describe('alerts that can fire', () => {
  it('Container Insights (MSI auth) has a data collection rule per cluster feeding the table the CrashLoopBackOff alert reads', async () => {
    const { root } = await loadEnvironment();
    const aks = root.module('aks')[0];
    const cluster = aks.resources('azurerm_kubernetes_cluster', 'this')[0];
    expect(cluster.blocks('oms_agent')[0].msi_auth_for_monitoring_enabled).toBe(true);
    const dcrs = aks.resources('azurerm_monitor_data_collection_rule', 'container_insights');
    expect(dcrs.map((d) => d.key).sort()).toEqual(['app1', 'app2', 'mgmt']);
    const table = /^\s*(\w+)/.exec(String(aks.resources('azurerm_monitor_scheduled_query_rules_alert_v2', 'crashloop')[0].blocks('criteria')[0].query))![1];
    for (const d of dcrs) {
      const ext = d.blocks('data_sources')[0].extension as Record<string, unknown>[];
      expect(ext[0]).toMatchObject({ extension_name: 'ContainerInsights' });
      expect(ext[0].streams).toContain(`Microsoft-${table}`);
      expect(d.blocks('data_flow')[0].streams).toContain(`Microsoft-${table}`);
      expect(d.raw.destinations).toBeDefined();
      expect(JSON.stringify(d.raw.destinations)).toContain('${var.log_analytics_workspace_id}');
    }
    const assoc = aks.resources('azurerm_monitor_data_collection_rule_association', 'container_insights');
    expect(assoc).toHaveLength(3);
    for (const a of assoc) {
      expect(a.raw.target_resource_id).toBe('${azurerm_kubernetes_cluster.this[each.key].id}');
      expect(a.raw.data_collection_rule_id).toBe('${azurerm_monitor_data_collection_rule.container_insights[each.key].id}');
    }
  });
});

describe('network', () => {
  it('uses the Network Watcher Azure creates per region unless told to create one', async () => {
    const { root } = await loadEnvironment();
    const net = root.module('network')[0];
    expect(net.resources('azurerm_network_watcher', 'this')).toHaveLength(0);
    const data = (await json('modules/network/main.flow_logs.tf')).data.azurerm_network_watcher.azure[0];
    expect(data).toMatchObject({ name: 'NetworkWatcher_${var.location}', resource_group_name: 'NetworkWatcherRG' });
    expect(data.depends_on).toEqual(['${azurerm_virtual_network.this}']);
    for (const f of net.resources('azurerm_network_watcher_flow_log', 'vnet')) {
      expect(f.raw.network_watcher_name).toBe('${local.network_watcher_name}');
      expect(f.raw.resource_group_name).toBe('${local.network_watcher_rg}');
    }
    const own = await loadEnvironment({ variables: { create_network_watcher: true } });
    expect(own.root.module('network')[0].resources('azurerm_network_watcher', 'this')).toHaveLength(1);
  });

  it('admits Internet TCP 80/443 to the node subnets of the clusters with a public Istio gateway, and nowhere else', async () => {
    const { root } = await loadEnvironment();
    const net = root.module('network')[0];
    const rules = net.resources('azurerm_network_security_rule', 'gateway_https');
    expect(rules.map((r) => r.key).sort()).toEqual(['app1', 'mgmt']);
    for (const r of rules) {
      expect(r.raw.network_security_group_name).toBe('${azurerm_network_security_group.this[each.key].name}');
      expect({ dir: r.get('direction'), access: r.get('access'), proto: r.get('protocol'), src: r.get('source_address_prefix'), ports: r.get('destination_port_ranges') })
        .toEqual({ dir: 'Inbound', access: 'Allow', proto: 'Tcp', src: 'Internet', ports: ['80', '443'] });
    }
    const mesh = root.module('aks')[0].resources('azurerm_kubernetes_cluster', 'this').filter((c) => c.blocks('service_mesh_profile')[0]?.external_ingress_gateway_enabled === true);
    expect(mesh.map((c) => c.key).sort()).toEqual(['app1', 'mgmt']);
  });
});

describe('tofu destroy goes through', () => {
  it('the backup vault keeps no soft-deleted instances, and only the backup module may delete a non-empty group', async () => {
    const { root } = await loadEnvironment();
    const vault = root.module('backup')[0].resources('azurerm_data_protection_backup_vault', 'this')[0];
    expect(vault.get('soft_delete')).toBe('Off');
    const main = await json('main.tf');
    const providers = main.provider.azurerm as J[];
    const def = providers.find((p) => !p.alias)!;
    const backup = providers.find((p) => p.alias === 'backup')!;
    expect(JSON.stringify(def.features)).not.toContain('prevent_deletion_if_contains_resources');
    expect(backup.features[0].resource_group[0].prevent_deletion_if_contains_resources).toBe(false);
    expect(main.module.backup[0].providers).toEqual({ azurerm: '${azurerm.backup}' });
    for (const [name, call] of Object.entries(main.module as Record<string, J[]>))
      if (name !== 'backup') expect(call[0].providers, name).toBeUndefined();
  });
});

describe('power runbook', () => {
  it('reads nodeProvisioningProfile from ARM at the API version azurerm manages the clusters with, not from Az.Aks', async () => {
    const { SCHEMA } = await import('../schema/check');
    const ps = fs.readFileSync(path.join(INFRA_DIR, 'modules/automation/runbooks/Set-AksPower.ps1'), 'utf8');
    const code = ps.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    expect(code).not.toMatch(/Get-AzAksCluster/);
    expect(code).not.toMatch(/\.NodeProvisioningProfile/);
    expect(code).toMatch(/Invoke-AzRestMethod -Method GET -Path "\$\(\$c\.id\)\?api-version=\$aksApiVersion"/);
    expect(code).toContain('.properties.nodeProvisioningProfile.mode');
    const v = /\$aksApiVersion = '([^']+)'/.exec(code)![1];
    expect(v).toBe(SCHEMA.resource.azurerm_kubernetes_cluster.api!['Microsoft.ContainerService']);
    // the clusters parameter carries the resource id the GET needs
    expect((await json('main.tf')).module.automation[0].clusters).toContain('id = v.id');
  });
});
