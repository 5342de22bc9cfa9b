# Remote state for infra/: a storage account that accepts Entra ID only (no access keys), with blob
# versioning and soft delete so an overwritten or deleted state can be recovered, and a container
# for the state. The azurerm backend locks the state with a blob lease, which outlives the process
# that took it: a job interrupted by a dashboard restart leaves the lease until it expires or is
# broken (`tofu force-unlock`).
# https://learn.microsoft.com/azure/developer/terraform/store-state-in-azure-storage
# https://opentofu.org/docs/language/settings/backends/azurerm/
resource "random_string" "suffix" {
  length  = 6
  special = false
  upper   = false
}

resource "azurerm_resource_group" "state" {
  name     = "rg-${var.prefix}-tfstate"
  location = var.location
  tags     = var.tags
}

resource "azurerm_storage_account" "state" {
  name                            = substr("st${replace(var.prefix, "-", "")}tf${random_string.suffix.result}", 0, 24)
  resource_group_name             = azurerm_resource_group.state.name
  location                        = var.location
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  account_kind                    = "StorageV2"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  shared_access_key_enabled       = false # Entra ID only
  default_to_oauth_authentication = true
  allow_nested_items_to_be_public = false
  public_network_access_enabled   = true # the jobs run on App Service or the Jump VM, and people from workstations

  blob_properties {
    versioning_enabled = true
    delete_retention_policy {
      days = 30
    }
    container_delete_retention_policy {
      days = 30
    }
  }
  tags = var.tags
}

resource "azurerm_storage_container" "state" {
  name                  = "tfstate"
  storage_account_id    = azurerm_storage_account.state.id
  container_access_type = "private"
}

# Whoever runs this bootstrap can read and write the state afterwards (an Owner has no data access by role alone).
data "azurerm_client_config" "current" {}

resource "azurerm_role_assignment" "state" {
  for_each             = merge({ bootstrap = data.azurerm_client_config.current.object_id }, var.readers_and_writers)
  scope                = azurerm_storage_container.state.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = each.value
}

resource "azurerm_management_lock" "state" {
  name       = "keep-opentofu-state"
  scope      = azurerm_storage_account.state.id
  lock_level = "CanNotDelete"
  notes      = "Holds the OpenTofu state of the environment."
}
