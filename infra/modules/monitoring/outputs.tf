output "log_analytics_workspace_id" {
  description = "Workspace resource ID."
  value       = azurerm_log_analytics_workspace.this.id
}

output "log_analytics_workspace_guid" {
  description = "Workspace (customer) ID."
  value       = azurerm_log_analytics_workspace.this.workspace_id
}

output "monitor_workspace_id" {
  description = "Azure Monitor workspace (Prometheus)."
  value       = azurerm_monitor_workspace.this.id
}

output "application_insights_connection_string" {
  description = "For the OTel collector."
  value       = azurerm_application_insights.this.connection_string
  sensitive   = true
}

output "grafana_endpoint" {
  description = "Managed Grafana URL, or null when not created."
  value       = var.managed_grafana_enabled ? azurerm_dashboard_grafana.this[0].endpoint : null
}
