provider "azurerm" {
  subscription_id = var.subscription_id
  # Register exactly what this code uses, nothing implicit.
  resource_provider_registrations = "none"
  resource_providers_to_register  = local.resource_providers
  features {
    key_vault {
      purge_soft_delete_on_destroy = true # demo: torn down and re-created between sessions
    }
  }
}

# The backup module alone may delete its snapshot resource group with what is inside: the disk
# snapshots there are made by the Backup service, not by tofu, so the default check
# (prevent_deletion_if_contains_resources, azurerm "features block" guide) would stop every
# `tofu destroy` at that group. Everywhere else the check stays on.
provider "azurerm" {
  alias                           = "backup"
  subscription_id                 = var.subscription_id
  resource_provider_registrations = "none" # the default provider registers them
  features {
    resource_group {
      prevent_deletion_if_contains_resources = false
    }
  }
}

provider "azuread" {}

data "azurerm_client_config" "current" {}

# Common + one group per cluster.
resource "azurerm_resource_group" "this" {
  for_each = local.resource_groups
  name     = each.value
  location = local.location
  tags     = local.tags
}

module "monitoring" {
  source                  = "./modules/monitoring"
  prefix                  = local.prefix
  location                = local.location
  resource_group_name     = azurerm_resource_group.this["common"].name
  subscription_id         = var.subscription_id
  managed_grafana_enabled = var.managed_grafana_enabled
  grafana_admin_object_id = data.azurerm_client_config.current.object_id
  tags                    = local.tags
}

module "network" {
  source                     = "./modules/network"
  prefix                     = local.prefix
  location                   = local.location
  resource_group_name        = azurerm_resource_group.this["common"].name
  vnets                      = local.vnets
  ingress_vnets              = [for k, v in local.clusters : v.vnet_key if v.mesh_enabled]
  create_network_watcher     = var.create_network_watcher
  bastion_subnet_cidr        = local.bastion_subnet_cidr
  jump_subnet_cidr           = local.jump_subnet_cidr
  endpoints_subnet_cidr      = local.endpoints_subnet_cidr
  appsvc_subnet_cidr         = local.appsvc_subnet_cidr
  postgres_subnet_cidr       = var.dashboard_database == "postgresql" ? local.postgres_subnet_cidr : ""
  aks_private_dns_zone       = local.aks_private_dns_zone
  dns_zone_name              = var.dns_zone_name
  log_analytics_workspace_id = module.monitoring.log_analytics_workspace_id
  log_analytics_workspace_guid = module.monitoring.log_analytics_workspace_guid
  tags                       = local.tags
}

module "acr" {
  source              = "./modules/acr"
  name                = var.acr_name
  location            = local.location
  resource_group_name = azurerm_resource_group.this["common"].name
  tags                = local.tags
}

module "identity" {
  source              = "./modules/identity"
  location            = local.location
  clusters            = { for k, v in local.clusters : k => { resource_group_name = azurerm_resource_group.this[k].name, vnet_id = module.network.vnet_ids[v.vnet_key] } }
  aks_private_dns_zone_id = module.network.aks_private_dns_zone_id
  acr_id              = module.acr.id
  dns_zone_id         = module.network.dns_zone_id
  key_vault_id        = module.keyvault.id
  oidc_issuer_urls    = module.aks.oidc_issuer_urls
  common_resource_group_name = azurerm_resource_group.this["common"].name
  tags                = local.tags
}

module "aks" {
  source                     = "./modules/aks"
  location                   = local.location
  zones                      = local.zones
  kubernetes_version         = var.kubernetes_version
  sku_tier                   = local.aks_sku_tier
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  clusters = {
    for k, v in local.clusters : k => merge(v, {
      resource_group_name = azurerm_resource_group.this[k].name
      subnet_id           = module.network.node_subnet_ids[v.vnet_key]
    })
  }
  node_vm_size               = local.node_vm_size
  system_node_count          = local.system_node_count
  ingress_node_count         = local.ingress_node_count
  worker_provisioning        = var.worker_provisioning
  worker_max_count           = var.worker_max_count
  istio_revisions            = [var.istio_revision]
  acns_observability_enabled = var.acns_observability_enabled
  private_dns_zone_id        = module.network.aks_private_dns_zone_id
  identities                 = module.identity.cluster_identities
  log_analytics_workspace_id = module.monitoring.log_analytics_workspace_id
  monitor_workspace_id       = module.monitoring.monitor_workspace_id
  action_group_id            = module.budget.action_group_id
  tags                       = local.tags
}

module "keyvault" {
  source                     = "./modules/keyvault"
  name                       = var.key_vault_name
  location                   = local.location
  resource_group_name        = azurerm_resource_group.this["common"].name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  admin_object_id            = data.azurerm_client_config.current.object_id
  private_endpoint_subnet_id = module.network.endpoints_subnet_id
  vnet_ids                   = module.network.vnet_ids
  log_analytics_workspace_id = module.monitoring.log_analytics_workspace_id
  tags                       = local.tags
}

module "backup" {
  source                = "./modules/backup"
  providers             = { azurerm = azurerm.backup }
  prefix                = local.prefix
  location              = local.location
  resource_group_name   = azurerm_resource_group.this["common"].name
  snapshot_resource_group_name = "rg-${local.prefix}-backup-snapshots"
  schedule              = local.backup_schedule
  retention_days        = local.backup_retention_days
  clusters              = module.aks.clusters
  tags                  = local.tags
}

module "access" {
  source                 = "./modules/access"
  prefix                 = local.prefix
  location               = local.location
  resource_group_name    = azurerm_resource_group.this["mgmt"].name
  bastion_sku            = var.bastion_sku
  bastion_subnet_id      = module.network.bastion_subnet_id
  jump_subnet_id         = module.network.jump_subnet_id
  jump_vm_size           = local.jump_vm_size
  admin_username         = var.jump_vm_admin_username
  ssh_public_key         = var.jump_vm_ssh_public_key
  custom_data            = module.dashboard.jump_vm_cloud_init
  # The dashboard on the Jump VM signs in to Azure with its own identity.
  user_assigned_identity_ids = var.dashboard_hosting == "jump_vm" ? [module.dashboard.identity_id] : []
  tags                   = local.tags
}

module "dashboard" {
  source                  = "./modules/dashboard"
  prefix                  = local.prefix
  location                = local.location
  resource_group_name     = azurerm_resource_group.this["mgmt"].name
  hosting                 = var.dashboard_hosting
  subscription_id         = var.subscription_id
  tenant_id               = data.azurerm_client_config.current.tenant_id
  appsvc_subnet_id        = module.network.appsvc_subnet_id
  cluster_ids             = { for k, v in module.aks.clusters : k => v.id }
  node_resource_group_ids = { for k, v in module.aks.clusters : k => "/subscriptions/${var.subscription_id}/resourceGroups/${v.node_resource_group}" }
  resource_group_ids      = { for k, v in azurerm_resource_group.this : k => v.id }
  backup_vault_id         = module.backup.vault_id
  key_vault_name          = var.key_vault_name
  # What to run (from `npm run package`) and where the jobs keep their state (from infra/bootstrap).
  artifact_zip               = var.dashboard_artifact_zip
  artifact_manifest          = var.dashboard_artifact_manifest
  # PostgreSQL instead of SQLite on /home (App Service, more than one instance): private access in the hub.
  database                   = var.dashboard_database
  postgres_subnet_id         = module.network.postgres_subnet_id
  postgres_vnet_id           = module.network.vnet_ids["mgmt"]
  artifact_url               = var.dashboard_artifact_url
  artifact_sha256            = var.dashboard_artifact_sha256
  state_resource_group_name  = var.state_resource_group_name
  state_storage_account_name = var.state_storage_account_name
  state_storage_account_id   = var.state_storage_account_id
  tags                       = local.tags
}

module "budget" {
  source              = "./modules/budget"
  prefix              = local.prefix
  resource_group_name = azurerm_resource_group.this["common"].name
  subscription_id     = var.subscription_id
  amount              = local.budget_amount
  contact_emails      = var.budget_contact_emails
  guard_webhook_url   = var.budget_guard_webhook_url
  tags                = local.tags
}

module "automation" {
  source              = "./modules/automation"
  count               = var.automation_power_enabled ? 1 : 0
  prefix              = local.prefix
  location            = local.location
  resource_group_name = azurerm_resource_group.this["common"].name
  clusters            = { for k, v in module.aks.clusters : k => { id = v.id, name = v.name, resource_group_name = v.resource_group_name } }
  power_strategy      = local.power_strategy
  stop_at             = local.power_schedule.stop_at
  start_at            = local.power_schedule.start_at
  time_zone           = local.power_schedule.time_zone
  tags                = local.tags
}
