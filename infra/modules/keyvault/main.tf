resource "azurerm_key_vault" "this" {
  name                          = var.name
  location                      = var.location
  resource_group_name           = var.resource_group_name
  tenant_id                     = var.tenant_id
  sku_name                      = "standard" # no Premium/HSM
  rbac_authorization_enabled    = true       # RBAC mode
  public_network_access_enabled = false      # private endpoint only
  soft_delete_retention_days    = var.soft_delete_retention_days
  purge_protection_enabled      = false # demo: destroy and re-create between sessions
  tags                          = var.tags
}

resource "azurerm_role_assignment" "admin" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Administrator"
  principal_id         = var.admin_object_id
}

resource "azurerm_private_dns_zone" "vault" {
  name                = "privatelink.vaultcore.azure.net"
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "vault" {
  for_each              = var.vnet_ids
  name                = "link-kv-${each.key}"
  private_dns_zone_id = azurerm_private_dns_zone.vault.id # azurerm 5.x: the zone by ID, no resource group
  virtual_network_id  = each.value
  tags                = var.tags
}

resource "azurerm_private_endpoint" "vault" {
  name                = "pe-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.private_endpoint_subnet_id
  private_service_connection {
    name                           = "psc-${var.name}"
    private_connection_resource_id = azurerm_key_vault.this.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }
  private_dns_zone_group {
    name                 = "vault"
    private_dns_zone_ids = [azurerm_private_dns_zone.vault.id]
  }
  tags = var.tags
}

# Key Vault audit → Log Analytics.
resource "azurerm_monitor_diagnostic_setting" "vault" {
  name                       = "diag-kv"
  target_resource_id         = azurerm_key_vault.this.id
  log_analytics_workspace_id = var.log_analytics_workspace_id
  enabled_log {
    category = "AuditEvent"
  }
}
