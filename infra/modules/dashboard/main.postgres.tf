# database = "postgresql" (App Service only): Azure Database for PostgreSQL Flexible Server,
# Burstable B1ms, private access through a delegated subnet of the hub network, for more than one
# instance (SQLite on /home is one writer). Private access (VNet integration):
# https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-private
# The app connects with a password (pg takes a static URL); it is kept in the app's settings,
# which App Service encrypts at rest, and in the OpenTofu state (the remote state is Entra-only).
resource "random_password" "postgres" {
  count   = local.postgres ? 1 : 0
  length  = 32
  special = false
}

resource "azurerm_private_dns_zone" "postgres" {
  count               = local.postgres ? 1 : 0
  name                = "${var.prefix}-dashboard.private.postgres.database.azure.com"
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "postgres" {
  count                 = local.postgres ? 1 : 0
  name                = "postgres-${var.prefix}"
  private_dns_zone_id = azurerm_private_dns_zone.postgres[0].id # azurerm 5.x: the zone by ID, no resource group
  virtual_network_id  = var.postgres_vnet_id
  tags                = var.tags
}

resource "azurerm_postgresql_flexible_server" "this" {
  count                         = local.postgres ? 1 : 0
  name                          = "psql-${var.prefix}-dashboard"
  location                      = var.location
  resource_group_name           = var.resource_group_name
  version                       = "16"
  sku_name                      = "B_Standard_B1ms"
  storage_mb                    = 32768
  backup_retention_days         = 7
  delegated_subnet_id           = var.postgres_subnet_id
  private_dns_zone_id           = azurerm_private_dns_zone.postgres[0].id
  public_network_access_enabled = false
  administrator_login           = "dashboard"
  administrator_password        = random_password.postgres[0].result
  zone                          = "1"
  tags                          = var.tags

  depends_on = [azurerm_private_dns_zone_virtual_network_link.postgres]

  lifecycle {
    precondition {
      condition     = var.postgres_subnet_id != "" && var.postgres_vnet_id != ""
      error_message = "database = \"postgresql\" needs postgres_subnet_id (delegated to Microsoft.DBforPostgreSQL/flexibleServers) and postgres_vnet_id."
    }
  }
}

resource "azurerm_postgresql_flexible_server_database" "dashboard" {
  count     = local.postgres ? 1 : 0
  name      = "dashboard"
  server_id = azurerm_postgresql_flexible_server.this[0].id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

locals {
  postgres_url = local.postgres ? "postgresql://dashboard:${random_password.postgres[0].result}@${azurerm_postgresql_flexible_server.this[0].fqdn}:5432/dashboard?sslmode=require" : ""
}
