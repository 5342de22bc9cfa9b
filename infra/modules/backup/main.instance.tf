resource "azurerm_data_protection_backup_instance_kubernetes_cluster" "this" {
  for_each                     = var.clusters
  name                         = "bi-${each.key}"
  location                     = var.location
  vault_id                     = azurerm_data_protection_backup_vault.this.id
  kubernetes_cluster_id        = each.value.id
  snapshot_resource_group_name = azurerm_resource_group.snapshots.name
  backup_policy_id             = azurerm_data_protection_backup_policy_kubernetes_cluster.daily.id

  backup_datasource_parameters {
    excluded_namespaces              = []
    excluded_resource_types          = []
    cluster_scoped_resources_enabled = true
    included_namespaces              = []
    included_resource_types          = []
    label_selectors                  = []
    volume_snapshot_enabled          = true
  }

  depends_on = [
    azurerm_kubernetes_cluster_extension.backup,
    azurerm_kubernetes_cluster_trusted_access_role_binding.backup,
    azurerm_role_assignment.extension_storage,
    azurerm_role_assignment.vault_cluster_reader,
    azurerm_role_assignment.vault_snapshot_rg_reader,
    azurerm_role_assignment.vault_disk_snapshot,
    azurerm_role_assignment.vault_disk_operator,
    azurerm_role_assignment.vault_storage_reader,
    azurerm_role_assignment.cluster_snapshot_rg,
  ]
}
