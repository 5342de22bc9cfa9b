# The vault is ZoneRedundant, but AKS backups live in the
# operational tier (snapshots in the snapshot RG, state in a blob container per cluster).
resource "azurerm_data_protection_backup_vault" "this" {
  name                = "bv-${var.prefix}"
  resource_group_name = var.resource_group_name
  location            = var.location
  datastore_type      = "VaultStore"
  redundancy          = var.redundancy
  # Soft delete keeps deleted backup instances for 14+ days, and a vault holding soft-deleted
  # instances cannot be deleted: a demo torn down between sessions turns it off (azurerm
  # data_protection_backup_vault docs: soft_delete Off/On/AlwaysOn; AlwaysOn cannot be undone).
  soft_delete = var.soft_delete
  identity {
    type = "SystemAssigned"
  }
  tags = var.tags
}

resource "azurerm_data_protection_backup_policy_kubernetes_cluster" "daily" {
  name                            = "bp-aks-daily"
  resource_group_name             = var.resource_group_name
  vault_name                      = azurerm_data_protection_backup_vault.this.name
  backup_repeating_time_intervals = [var.schedule]
  time_zone                       = "UTC"

  default_retention_rule {
    life_cycle {
      duration        = "P${var.retention_days}D"
      data_store_type = "OperationalStore" # azurerm cannot configure the vault tier
    }
  }
}

resource "azurerm_resource_group" "snapshots" {
  name     = var.snapshot_resource_group_name
  location = var.location
  tags     = var.tags
}

resource "azurerm_storage_account" "backup" {
  name                            = substr(replace("stbk${var.prefix}${md5(var.resource_group_name)}", "-", ""), 0, 24)
  resource_group_name             = var.resource_group_name
  location                        = var.location
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  tags                            = var.tags
}

resource "azurerm_storage_container" "cluster" {
  for_each              = var.clusters
  name                  = "backup-${each.key}"
  storage_account_id    = azurerm_storage_account.backup.id
  container_access_type = "private"
}
