locals {
  app_name    = "app-${var.prefix}-dashboard"
  app_service = var.hosting == "app_service"
  postgres    = local.app_service && var.database == "postgresql"

  # Names the app reads, from the ids it is given (…/resourceGroups/<name>, …/managedClusters/<name>).
  resource_group_names = { for k, id in var.resource_group_ids : k => split("/", id)[4] }
  cluster_names        = { for k, id in var.cluster_ids : k => split("/", id)[8] }

  # The settings the app reads (lib/config.ts), the same on both hosts; a test keeps them known to
  # the configuration schema and complete for the azure target.
  app_settings = merge(
    {
      TARGET                      = "azure"
      AZURE_SUBSCRIPTION_ID       = var.subscription_id
      AZURE_LOCATION              = var.location
      AZURE_CLIENT_ID             = azurerm_user_assigned_identity.dashboard.client_id
      AUTH_TENANT_ID              = var.tenant_id
      AUTH_CLIENT_ID              = azuread_application.dashboard.client_id
      AUTH_FEDERATED_MI_CLIENT_ID = azurerm_user_assigned_identity.dashboard.client_id
      APP_BASE_URL                = local.app_service ? "https://${local.app_name}.azurewebsites.net" : "http://localhost:${var.jump_vm_port}"
      DATA_DIR                    = local.app_service ? "/home/data" : "/var/lib/aks-demo-control-plane"
      RG_COMMON                   = local.resource_group_names["common"]
      RG_MGMT                     = local.resource_group_names["mgmt"]
      RG_APP1                     = local.resource_group_names["app1"]
      RG_APP2                     = local.resource_group_names["app2"]
      CLUSTER_MGMT                = local.cluster_names["mgmt"]
      CLUSTER_APP1                = local.cluster_names["app1"]
      CLUSTER_APP2                = local.cluster_names["app2"]
      KEY_VAULT_NAME              = var.key_vault_name
      # The jobs' OpenTofu signs in as the same managed identity (azurerm provider and backend).
      ARM_USE_MSI              = "true"
      ARM_CLIENT_ID            = azurerm_user_assigned_identity.dashboard.client_id
      ARM_TENANT_ID            = var.tenant_id
      ARM_SUBSCRIPTION_ID      = var.subscription_id
      TF_VAR_subscription_id   = var.subscription_id
      TF_VAR_dashboard_hosting = var.hosting
    },
    # Where the dashboard runs, for its own lines in the cost model.
    { DASHBOARD_HOSTING = var.hosting },
    local.app_service ? { DASHBOARD_APP_SERVICE_SKU = var.app_service_sku } : { PORT = "${var.jump_vm_port}" },
    var.state_storage_account_name == "" ? {} : {
      TF_STATE_RESOURCE_GROUP  = var.state_resource_group_name
      TF_STATE_STORAGE_ACCOUNT = var.state_storage_account_name
    },
  )
}

# One user-assigned identity on either host: ARM calls (AZURE_CLIENT_ID), the jobs' OpenTofu
# (ARM_CLIENT_ID), and the sign-in's client credential through a federated credential — which
# Entra only accepts from a user-assigned identity:
# https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
resource "azurerm_user_assigned_identity" "dashboard" {
  name                = "id-${var.prefix}-dashboard"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_service_plan" "this" {
  count               = local.app_service ? 1 : 0
  name                = "asp-${var.prefix}-dashboard"
  location            = var.location
  resource_group_name = var.resource_group_name
  os_type             = "Linux"
  sku_name            = var.app_service_sku
  tags                = var.tags
}

resource "azurerm_linux_web_app" "this" {
  count                     = local.app_service ? 1 : 0
  name                      = local.app_name
  location                  = var.location
  resource_group_name       = var.resource_group_name
  service_plan_id           = azurerm_service_plan.this[0].id
  https_only                = true
  virtual_network_subnet_id = var.appsvc_subnet_id # private API servers are reachable from here

  # Zip deploy of `npm run package`'s zip, run from the package (WEBSITE_RUN_FROM_PACKAGE=1): the
  # artifact is already built (standalone server, native module for the stack's Node), so no
  # build runs on the host and the app folder is the read-only package; everything written goes
  # to DATA_DIR under /home, App Service's persistent storage. A container would add a registry
  # and an image build for no gain here.
  # https://learn.microsoft.com/azure/app-service/deploy-run-package
  zip_deploy_file = var.artifact_zip

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.dashboard.id]
  }

  site_config {
    always_on              = true # the schedule runs inside the app
    vnet_route_all_enabled = true
    minimum_tls_version    = "1.2"
    ftps_state             = "Disabled"
    # Plain node: the launcher applies migrations, then starts the standalone server.
    app_command_line = "node launcher.mjs"
    # The artifact's Node major (its native SQLite module is built for it): App Service's stack.
    application_stack {
      node_version = "${local.node_major}-lts"
    }
  }

  app_settings = merge(local.app_settings, {
    # App Service platform settings (not the app's): run the zip read-only, never build on the host.
    WEBSITE_RUN_FROM_PACKAGE       = "1"
    SCM_DO_BUILD_DURING_DEPLOYMENT = "false"
  }, local.postgres ? { DATABASE_URL = local.postgres_url } : {})

  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.node != null
      error_message = "The artifact was packaged with Node ${local.node_major}; App Service runs Node 22 or 24 (22-lts, 24-lts). Package it again with one of those (npm run package)."
    }
  }
}
