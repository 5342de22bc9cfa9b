# The backup extension in each cluster writes to its own container.
resource "azurerm_kubernetes_cluster_extension" "backup" {
  for_each          = var.clusters
  name              = "azure-aks-backup"
  cluster_id        = each.value.id
  extension_type    = "microsoft.dataprotection.kubernetes"
  release_train     = "stable"
  release_namespace = "dataprotection-microsoft"
  configuration_settings = {
    "configuration.backupStorageLocation.bucket"                = azurerm_storage_container.cluster[each.key].name
    "configuration.backupStorageLocation.config.resourceGroup"  = var.resource_group_name
    "configuration.backupStorageLocation.config.storageAccount" = azurerm_storage_account.backup.name
    "configuration.backupStorageLocation.config.subscriptionId" = split("/", azurerm_storage_account.backup.id)[2]
    "credentials.tenantId"                                      = azurerm_data_protection_backup_vault.this.identity[0].tenant_id
  }
}

resource "azurerm_kubernetes_cluster_trusted_access_role_binding" "backup" {
  for_each              = var.clusters
  name                  = "tab-backup-${each.key}"
  kubernetes_cluster_id = each.value.id
  roles                 = ["Microsoft.DataProtection/backupVaults/backup-operator"]
  source_resource_id    = azurerm_data_protection_backup_vault.this.id
}
