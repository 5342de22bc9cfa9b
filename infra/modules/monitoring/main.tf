resource "azurerm_monitor_workspace" "this" {
  name                = "amw-${var.prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_log_analytics_workspace" "this" {
  name                = "law-${var.prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  daily_quota_gb      = var.daily_quota_gb
  tags                = var.tags
}

resource "azurerm_application_insights" "this" {
  name                = "appi-${var.prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  workspace_id        = azurerm_log_analytics_workspace.this.id
  application_type    = "web"
  tags                = var.tags
}

# Azurerm 5.x accepts Grafana 12/13 and the Standard SKU only (no free Essential tier), so this
# is opt-in; by default the portal's free "Dashboards with Grafana" read the same workspace.
resource "azurerm_dashboard_grafana" "this" {
  count                 = var.managed_grafana_enabled ? 1 : 0
  name                  = "graf-${var.prefix}"
  location              = var.location
  resource_group_name   = var.resource_group_name
  grafana_major_version = "12"
  sku                   = "Standard"
  identity {
    type = "SystemAssigned"
  }
  azure_monitor_workspace_integrations {
    resource_id = azurerm_monitor_workspace.this.id
  }
  tags = var.tags
}

resource "azurerm_role_assignment" "grafana_reader" {
  count                = var.managed_grafana_enabled ? 1 : 0
  scope                = azurerm_monitor_workspace.this.id
  role_definition_name = "Monitoring Data Reader"
  principal_id         = azurerm_dashboard_grafana.this[0].identity[0].principal_id
}

resource "azurerm_role_assignment" "grafana_admin" {
  count                = var.managed_grafana_enabled ? 1 : 0
  scope                = azurerm_dashboard_grafana.this[0].id
  role_definition_name = "Grafana Admin"
  principal_id         = var.grafana_admin_object_id
}

locals {
  # The eight activity-log categories.
  activity_log_categories = ["Administrative", "Security", "ServiceHealth", "Alert", "Recommendation", "Policy", "Autoscale", "ResourceHealth"]
}

resource "azurerm_monitor_diagnostic_setting" "activity_log" {
  name                       = "diag-activity-log"
  target_resource_id         = "/subscriptions/${var.subscription_id}"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.this.id
  dynamic "enabled_log" {
    for_each = local.activity_log_categories
    content {
      category = enabled_log.value
    }
  }
}
