# E10: NSG flow logs can no longer be created; VNet flow logs + traffic analytics replace them.
# Billed per GB collected (§11 leaves this out).
resource "azurerm_network_watcher" "this" {
  name                = "nw-${var.prefix}-${var.location}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_storage_account" "flow_logs" {
  name                            = substr(replace("stfl${var.prefix}${md5(var.resource_group_name)}", "-", ""), 0, 24)
  location                        = var.location
  resource_group_name             = var.resource_group_name
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  tags                            = var.tags
}

resource "azurerm_network_watcher_flow_log" "vnet" {
  for_each             = var.vnets
  name                 = "fl-vnet-${each.key}"
  network_watcher_name = azurerm_network_watcher.this.name
  resource_group_name  = var.resource_group_name
  target_resource_id   = azurerm_virtual_network.this[each.key].id
  storage_account_id   = azurerm_storage_account.flow_logs.id
  enabled              = true
  version              = 2

  retention_policy {
    enabled = true
    days    = var.flow_log_retention_days
  }

  traffic_analytics {
    enabled               = true
    workspace_id          = var.log_analytics_workspace_guid
    workspace_region      = var.location
    workspace_resource_id = var.log_analytics_workspace_id
    interval_in_minutes   = 10 # §8.1
  }
  tags = var.tags
}
