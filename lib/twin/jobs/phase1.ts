import type { TwinNames } from '../seed';

/**
 * Phase 1 of the install (`tofu apply`), in the architecture's order, as the twin simulates it.
 * Resource groups and clusters are served by the twin's ARM API and appear or disappear there;
 * the other resources are modelled only (the twin serves no API for them) and say so.
 */
export type Phase1Kind = 'resourceGroup' | 'cluster' | 'modelled';

export interface Phase1Resource {
  /** Stable id the product passes back (`rg:common`, `aks:app1`, `vnet:mgmt` …). */
  id: string;
  /** The address `tofu` would print for it. */
  address: string;
  kind: Phase1Kind;
  /** Resource group or cluster key it stands for (kinds resourceGroup and cluster). */
  ref?: string;
  /** How long Azure takes to create it, in twin milliseconds (AKS: several minutes). */
  createMs: number;
  destroyMs: number;
}

const KEYS = ['mgmt', 'app1', 'app2'] as const;

export function phase1Resources(names: TwinNames): Phase1Resource[] {
  const rg = (key: string, name: string): Phase1Resource => ({
    id: `rg:${key}`, address: `azurerm_resource_group.this["${key}"]`, kind: 'resourceGroup', ref: name, createMs: 15_000, destroyMs: 60_000,
  });
  const modelled = (id: string, address: string, createMs: number, destroyMs = createMs): Phase1Resource => ({ id, address, kind: 'modelled', createMs, destroyMs });
  return [
    rg('common', names.commonResourceGroup),
    ...names.clusters.map((c) => rg(c.key, c.resourceGroup)),
    ...KEYS.map((k, i) => modelled(`vnet:${k}`, `module.network.azurerm_virtual_network.this["${k}"] (10.${i + 1}.0.0/16) + NSG`, 20_000)),
    modelled('peering:mgmt-app1', 'module.network.azurerm_virtual_network_peering.this["mgmt-app1"]', 30_000),
    modelled('peering:mgmt-app2', 'module.network.azurerm_virtual_network_peering.this["mgmt-app2"]', 30_000),
    modelled('peering:app1-app2', 'module.network.azurerm_virtual_network_peering.this["app1-app2"]', 30_000),
    modelled('keyvault', 'module.keyvault.azurerm_key_vault.this + RBAC', 90_000),
    modelled('monitor-workspace', 'module.monitoring.azurerm_monitor_workspace.this', 40_000),
    modelled('log-analytics', 'module.monitoring.azurerm_log_analytics_workspace.this', 40_000),
    modelled('backup-vault', 'module.backup.azurerm_data_protection_backup_vault.this (ZoneRedundant)', 60_000),
    modelled('acr', 'module.acr.azurerm_container_registry.this (Basic)', 30_000),
    ...names.clusters.map((c): Phase1Resource => ({
      id: `aks:${c.key}`, address: `module.aks["${c.key}"].azurerm_kubernetes_cluster.this`, kind: 'cluster', ref: c.key, createMs: 6 * 60_000, destroyMs: 8 * 60_000,
    })),
    modelled('identity', 'module.identity.azurerm_user_assigned_identity.workload + federated credentials', 20_000),
  ];
}
