locals {
  app_name     = "app-${var.prefix}-dashboard"
  app_service  = var.hosting == "app_service"
  principal_id = local.app_service ? azurerm_linux_web_app.this[0].identity[0].principal_id : var.jump_vm_principal_id
  # Least roles the dashboard needs: read everything, power clusters and pools, cordon nodes and
  # patch Karpenter NodePools (cluster-scoped, hence RBAC Cluster Admin), read cost and backups.
  cluster_roles = ["Azure Kubernetes Service Contributor Role", "Azure Kubernetes Service RBAC Cluster Admin"]
  cluster_role_pairs = merge([
    for c, id in var.cluster_ids : { for r in local.cluster_roles : "${c}/${r}" => { scope = id, role = r } }
  ]...)
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

  identity {
    type = "SystemAssigned"
  }

  site_config {
    always_on              = true # the schedule runs inside the app
    vnet_route_all_enabled = true
    minimum_tls_version    = "1.2"
    app_command_line       = "npm start"
    application_stack {
      node_version = var.node_version
    }
  }

  app_settings = {
    TARGET                   = "azure"
    AZURE_SUBSCRIPTION_ID    = var.subscription_id
    AZURE_TENANT_ID          = var.tenant_id
    ENTRA_CLIENT_ID          = azuread_application.dashboard.client_id
    SCHEDULE_TIME_ZONE       = "Asia/Seoul"
    NEXT_TELEMETRY_DISABLED  = "1"
    WEBSITE_RUN_FROM_PACKAGE = "1"
  }

  sticky_settings {
    app_setting_names = ["TARGET"]
  }

  # Entra sign-in in front of the app (Easy Auth v2); roles arrive in the token's `roles` claim.
  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = true
    unauthenticated_action = "RedirectToLoginPage"
    default_provider       = "azureactivedirectory"
    login {
      token_store_enabled = true
    }
    active_directory_v2 {
      client_id                  = azuread_application.dashboard.client_id
      tenant_auth_endpoint       = "https://login.microsoftonline.com/${var.tenant_id}/v2.0"
      client_secret_setting_name = "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"
      allowed_audiences          = ["api://${azuread_application.dashboard.client_id}"]
    }
  }
  tags = var.tags

  lifecycle {
    ignore_changes = [app_settings["MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"]]
  }
}

resource "azurerm_role_assignment" "cluster" {
  for_each             = local.cluster_role_pairs
  scope                = each.value.scope
  role_definition_name = each.value.role
  principal_id         = local.principal_id
}

resource "azurerm_role_assignment" "reader" {
  for_each             = var.resource_group_ids
  scope                = each.value
  role_definition_name = "Reader"
  principal_id         = local.principal_id
}

resource "azurerm_role_assignment" "cost" {
  scope                = "/subscriptions/${var.subscription_id}"
  role_definition_name = "Cost Management Reader"
  principal_id         = local.principal_id
}

resource "azurerm_role_assignment" "backup" {
  scope                = var.backup_vault_id
  role_definition_name = "Backup Reader"
  principal_id         = local.principal_id
}

resource "azurerm_role_assignment" "monitoring" {
  scope                = var.resource_group_ids["common"]
  role_definition_name = "Monitoring Reader"
  principal_id         = local.principal_id
}
