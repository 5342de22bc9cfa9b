# VNet flow logs + traffic analytics: NSG flow logs can no longer be created (retired by Azure in
# favour of VNet flow logs). Billed per GB collected.
#
# Azure allows one Network Watcher per region and subscription, and creates it by itself
# (NetworkWatcher_<region> in NetworkWatcherRG) when the first virtual network of the region is
# created ("Enable or disable Azure Network Watcher"). A second one would be refused, so by default
# this reads Azure's, after the VNets exist. Subscriptions that opted out of the automatic
# creation set create_network_watcher = true.
locals {
  network_watcher_name = var.create_network_watcher ? azurerm_network_watcher.this[0].name : data.azurerm_network_watcher.azure[0].name
  network_watcher_rg   = var.create_network_watcher ? azurerm_network_watcher.this[0].resource_group_name : data.azurerm_network_watcher.azure[0].resource_group_name
}

data "azurerm_network_watcher" "azure" {
  count               = var.create_network_watcher ? 0 : 1
  name                = "NetworkWatcher_${var.location}"
  resource_group_name = "NetworkWatcherRG"
  depends_on          = [azurerm_virtual_network.this]
}

resource "azurerm_network_watcher" "this" {
  count               = var.create_network_watcher ? 1 : 0
  name                = "NetworkWatcher_${var.location}"
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
  network_watcher_name = local.network_watcher_name
  resource_group_name  = local.network_watcher_rg # the watcher's group, not the flow log's
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
    interval_in_minutes   = 10
  }
  tags = var.tags
}
