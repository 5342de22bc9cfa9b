/**
 * Every module input that Azure would only refuse at apply time (names, IDs, CIDRs, sizes, zones,
 * versions) has a validation block, in the manner of the Azure Verified Modules; the validations
 * hold for what the root actually passes, and refuse bad values with their message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalJson, isUnknown, type Value } from '../contract/hcl-eval';
import { INFRA_DIR, loadEnvironment } from '../contract/model-from-hcl';
import { ModuleInstance } from '../contract/tf-module';

type Raw = Record<string, unknown>;
// The dashboard module is being rewritten elsewhere; its inputs are checked there.
const MODULES = fs.readdirSync(path.join(INFRA_DIR, 'modules')).filter((m) => m !== 'dashboard').sort();

function validations(m: ModuleInstance): [string, Raw][] {
  return Object.entries(m.files.variable).flatMap(([name, v]) => ((v.validation ?? []) as Raw[]).map((x) => [name, x] as [string, Raw]));
}

/** A module instance with one input replaced. */
function withInput(m: ModuleInstance, name: string, value: Value): ModuleInstance {
  const inputs: Record<string, () => Value> = {};
  for (const n of Object.keys(m.files.variable)) inputs[n] = () => m.variable(n);
  inputs[name] = () => value;
  return new ModuleInstance(m.files, inputs);
}

function failing(m: ModuleInstance, only?: string): string[] {
  return validations(m).filter(([n]) => !only || n === only)
    .filter(([, v]) => evalJson(v.condition, m.scope) === false).map(([n, v]) => `${n}: ${String(v.error_message)}`);
}

describe('module input validation', () => {
  it.each(MODULES)('modules/%s validates every input except booleans and tags', async (mod) => {
    const { root } = await loadEnvironment();
    const call = Object.keys(root.files.module).find((k) => String(root.files.module[k].source).endsWith(`/${mod}`))!;
    const files = (root.module(call)[0] ?? (await loadEnvironment({ variables: { automation_power_enabled: true } })).root.module(call)[0]).files;
    for (const [name, v] of Object.entries(files.variable)) {
      if (name === 'tags' || v.type === '${bool}') continue;
      expect((v.validation as Raw[] | undefined)?.length ?? 0, `${mod}: variable "${name}"`).toBeGreaterThan(0);
      for (const x of v.validation as Raw[]) expect(String(x.error_message), `${mod}.${name}`).toMatch(/\.$/);
    }
  });

  it('every validation holds for what the root passes (nap and autoscaler)', async () => {
    for (const workers of ['nap', 'autoscaler'] as const) {
      const { root } = await loadEnvironment({ workerProvisioning: workers });
      let known = 0;
      for (const m of [root, ...Object.keys(root.files.module).flatMap((k) => root.module(k))]) {
        expect(failing(m), m.files.dir).toEqual([]);
        known += validations(m).filter(([, v]) => !isUnknown(evalJson(v.condition, m.scope))).length;
      }
      expect(known).toBeGreaterThan(40); // most conditions are decided before Azure is asked
    }
  });

  it.each([
    ['network', 'jump_subnet_cidr', '10.1.101.0/30', 'jump_subnet_cidr must be an IPv4 CIDR of /29 or larger'],
    ['network', 'appsvc_subnet_cidr', '10.1.300.0/27', 'appsvc_subnet_cidr must be an IPv4 CIDR'],
    ['network', 'location', 'Korea Central', 'location must be an Azure region name'],
    ['network', 'ingress_vnets', ['app3'], 'ingress_vnets must name keys of vnets'],
    ['identity', 'cert_manager_cluster', 'app3', 'cert_manager_cluster must be one of the clusters'],
    ['identity', 'clusters', { 'App-1': { resource_group_name: 'rg', vnet_id: '/subscriptions/x' } }, 'clusters: short lower-case keys'],
    ['access', 'admin_username', 'admin', 'admin_username must be a Linux user name'],
    ['access', 'bastion_subnet_id', '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/snet-jump', 'AzureBastionSubnet'],
    ['aks', 'node_vm_size', 'D2s_v5', 'node_vm_size must be an Azure VM size'],
    ['aks', 'zones', ['1', '2'], 'zones must be exactly 1, 2 and 3'],
    ['automation', 'time_zone', 'Europe/Berlin', 'time_zone must be Asia/Seoul or Etc/UTC'],
    ['monitoring', 'daily_quota_gb', 0.01, 'daily_quota_gb must be -1'],
    ['keyvault', 'tenant_id', 'contoso.onmicrosoft.com', 'tenant_id must be a GUID'],
    ['backup', 'soft_delete', 'AlwaysOn', 'soft_delete must be Off or On'],
    ['budget', 'subscription_id', 'my-sub', 'subscription_id must be a GUID'],
  ] as [string, string, Value, string][])('modules/%s refuses %s = %j', async (mod, name, value, message) => {
    const { root } = await loadEnvironment();
    const call = Object.keys(root.files.module).find((k) => String(root.files.module[k].source).endsWith(`/${mod}`))!;
    const m = root.module(call)[0];
    expect(failing(m, name)).toEqual([]);
    const bad = failing(withInput(m, name, value), name);
    expect(bad.length, `${mod}.${name} = ${JSON.stringify(value)}`).toBe(1);
    expect(bad[0]).toContain(message);
  });
});
