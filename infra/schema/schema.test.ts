import { parse } from '@cdktf/hcl2json';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTfFile } from '../contract/tf-module';
import { CHECKED_PROVIDERS, checkModule, checkTfJson, SCHEMA, tfModuleDirs } from './check';

const INFRA = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dirs = tfModuleDirs(INFRA);

async function moduleFiles(dir: string) {
  const files: Record<string, Record<string, unknown>> = {};
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.tf')).sort()) files[f] = await parseTfFile(path.join(dir, f));
  return files;
}

async function findings(hcl: string) {
  const json = (await parse('snippet.tf', hcl)) as Record<string, unknown>;
  return checkTfJson('snippet.tf', json).map((f) => `${f.where}: ${f.message}`).sort();
}

describe('the generated provider schema', () => {
  it('names the provider tags the code pins', () => {
    expect(SCHEMA.providers.azurerm.tag).toBe('v5.2.0');
    expect(SCHEMA.providers.azuread.tag).toMatch(/^v3\.\d+\.\d+$/);
    for (const p of Object.values(SCHEMA.providers)) expect(p.commit).toMatch(/^[0-9a-f]{40}$/);
    const tf = fs.readFileSync(path.join(INFRA, 'terraform.tf'), 'utf8');
    expect(tf).toMatch(/azurerm\s*=\s*\{[^}]*version\s*=\s*"~> 5\.2"/);
    expect(tf).toMatch(/azuread\s*=\s*\{[^}]*version\s*=\s*"~> 3\.\d+"/);
  });

  it('describes every azurerm/azuread type used under infra/ (modules, root and the dashboard)', async () => {
    const used = new Set<string>();
    for (const d of dirs)
      for (const json of Object.values(await moduleFiles(d)))
        for (const kind of ['resource', 'data'])
          for (const t of Object.keys((json[kind] ?? {}) as object))
            if (CHECKED_PROVIDERS.includes(t.split('_')[0])) used.add(`${kind} ${t}`);
    expect(used.size).toBeGreaterThan(40);
    for (const u of used) {
      const [kind, t] = u.split(' ') as ['resource' | 'data', string];
      expect(SCHEMA[kind][t], `${u}: re-run infra/schema/generate.mjs`).toBeDefined();
    }
  });

  it('knows the arguments of the AKS cluster down to nested blocks, with enumerations', () => {
    const aks = SCHEMA.resource.azurerm_kubernetes_cluster;
    expect(aks.arguments.name.required).toBe(true);
    expect(aks.blocks.default_node_pool.required).toBe(true);
    expect(aks.blocks.node_provisioning_profile.arguments.mode.enum).toEqual(['Auto', 'Manual']);
    expect(aks.blocks.network_profile.arguments.network_plugin_mode.enum).toEqual(['overlay']);
    expect(aks.arguments.sku_tier.enum).toEqual(['Free', 'Standard', 'Premium']);
    expect(aks.blocks.default_node_pool.blocks.upgrade_settings.arguments.max_surge).toBeDefined();
  });
});

describe.each(dirs.map((d) => [path.relative(INFRA, d) || '.', d]))('infra/%s against the provider schema', (_rel, dir) => {
  it('uses only documented arguments and blocks, sets every required one, and only documented values', async () => {
    const found = checkModule(path.relative(INFRA, dir) || '.', await moduleFiles(dir)).map((f) => `${f.where}: ${f.message}`);
    expect(found).toEqual([]);
  });
});

describe('the schema check fails on what azurerm 5.2 refuses', () => {
  it('a federated identity credential written for azurerm 4.x (parent_id, resource_group_name)', async () => {
    const f = await findings(`
      resource "azurerm_federated_identity_credential" "cert_manager" {
        name                = "fic-cert-manager-mgmt"
        resource_group_name = var.common_resource_group_name
        parent_id           = azurerm_user_assigned_identity.cert_manager.id
        audience            = ["api://AzureADTokenExchange"]
        issuer              = "https://issuer"
        subject             = "system:serviceaccount:cert-manager:cert-manager"
      }`);
    expect(f).toEqual([
      'snippet.tf: azurerm_federated_identity_credential.cert_manager: unknown argument or block "resource_group_name"',
      'snippet.tf: azurerm_federated_identity_credential.cert_manager: unknown argument or block "parent_id"',
      'snippet.tf: azurerm_federated_identity_credential.cert_manager: missing required argument "user_assigned_identity_id"',
    ].sort());
  });

  it('a private DNS zone link by zone name (azurerm 4.x) instead of private_dns_zone_id', async () => {
    const f = await findings(`
      resource "azurerm_private_dns_zone_virtual_network_link" "vault" {
        for_each              = var.vnet_ids
        name                  = "link-kv-\${each.key}"
        resource_group_name   = var.resource_group_name
        private_dns_zone_name = azurerm_private_dns_zone.vault.name
        virtual_network_id    = each.value
      }`);
    expect(f).toEqual([
      'snippet.tf: azurerm_private_dns_zone_virtual_network_link.vault: unknown argument or block "resource_group_name"',
      'snippet.tf: azurerm_private_dns_zone_virtual_network_link.vault: unknown argument or block "private_dns_zone_name"',
      'snippet.tf: azurerm_private_dns_zone_virtual_network_link.vault: missing required argument "private_dns_zone_id"',
    ].sort());
  });

  it('a value outside an enumeration, literal or through a variable default, in nested and dynamic blocks', async () => {
    const f = await findings(`
      variable "tier" {
        type    = string
        default = "Premiun"
      }
      resource "azurerm_kubernetes_cluster" "c" {
        name                = "aks"
        location            = "koreacentral"
        resource_group_name = "rg"
        sku_tier            = var.tier
        default_node_pool {
          name = "system"
        }
        node_provisioning_profile {
          mode = "Automatic"
        }
        dynamic "network_profile" {
          for_each = [1]
          content {
            network_plugin      = "azure"
            network_plugin_mode = "Overlay"
            network_datapath    = "cilium"
          }
        }
      }`);
    expect(f).toEqual([
      'snippet.tf: azurerm_kubernetes_cluster.c: sku_tier = "Premiun" is not one of "Free", "Standard", "Premium" (default of var.tier)',
      'snippet.tf: azurerm_kubernetes_cluster.c.node_provisioning_profile: mode = "Automatic" is not one of "Auto", "Manual"',
      'snippet.tf: azurerm_kubernetes_cluster.c.network_profile: network_plugin_mode = "Overlay" is not one of "overlay"',
      'snippet.tf: azurerm_kubernetes_cluster.c.network_profile: unknown argument or block "network_datapath"',
    ].sort());
  });

  it('a missing required block, and a type that is not in the provider', async () => {
    const f = await findings(`
      resource "azurerm_kubernetes_cluster" "c" {
        name                = "aks"
        location            = "koreacentral"
        resource_group_name = "rg"
      }
      resource "azurerm_kubernetes_clusters" "typo" {}
      resource "random_uuid" "ignored" {}`);
    expect(f[0]).toBe('snippet.tf: azurerm_kubernetes_cluster.c: missing required block "default_node_pool"');
    expect(f[1]).toBe('snippet.tf: azurerm_kubernetes_cluster.c: missing required block "node_provisioning_profile"');
    expect(f[2]).toMatch(/^snippet\.tf: azurerm_kubernetes_clusters\.typo: azurerm_kubernetes_clusters is not in infra\/schema\/providers\.json/);
    expect(f).toHaveLength(3);
  });
});
