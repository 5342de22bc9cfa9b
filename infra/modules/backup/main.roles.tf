# The role assignments AKS backup needs (Azure docs "Back up AKS using Terraform").
resource "azurerm_role_assignment" "extension_storage" {
  for_each             = var.clusters
  scope                = azurerm_storage_account.backup.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_kubernetes_cluster_extension.backup[each.key].aks_assigned_identity[0].principal_id
}

resource "azurerm_role_assignment" "vault_cluster_reader" {
  for_each             = var.clusters
  scope                = each.value.id
  role_definition_name = "Reader"
  principal_id         = azurerm_data_protection_backup_vault.this.identity[0].principal_id
}

resource "azurerm_role_assignment" "vault_snapshot_rg_reader" {
  scope                = azurerm_resource_group.snapshots.id
  role_definition_name = "Reader"
  principal_id         = azurerm_data_protection_backup_vault.this.identity[0].principal_id
}

resource "azurerm_role_assignment" "vault_disk_snapshot" {
  scope                = azurerm_resource_group.snapshots.id
  role_definition_name = "Disk Snapshot Contributor"
  principal_id         = azurerm_data_protection_backup_vault.this.identity[0].principal_id
}

resource "azurerm_role_assignment" "vault_disk_operator" {
  scope                = azurerm_resource_group.snapshots.id
  role_definition_name = "Data Operator for Managed Disks"
  principal_id         = azurerm_data_protection_backup_vault.this.identity[0].principal_id
}

resource "azurerm_role_assignment" "vault_storage_reader" {
  scope                = azurerm_storage_account.backup.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azurerm_data_protection_backup_vault.this.identity[0].principal_id
}

resource "azurerm_role_assignment" "cluster_snapshot_rg" {
  for_each             = var.clusters
  scope                = azurerm_resource_group.snapshots.id
  role_definition_name = "Contributor"
  principal_id         = each.value.control_plane_principal_id
}
