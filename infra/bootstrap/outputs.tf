output "resource_group_name" {
  description = "TF_STATE_RESOURCE_GROUP, and state_resource_group_name of the dashboard module."
  value       = azurerm_resource_group.state.name
}

output "storage_account_name" {
  description = "TF_STATE_STORAGE_ACCOUNT, and state_storage_account_name of the dashboard module."
  value       = azurerm_storage_account.state.name
}

output "storage_account_id" {
  description = "state_storage_account_id of the dashboard module (its identity gets Storage Blob Data Contributor here)."
  value       = azurerm_storage_account.state.id
}

output "backend_config" {
  description = "infra/backend.hcl for `tofu -chdir=infra init -backend-config=backend.hcl`."
  value       = <<-EOT
    resource_group_name  = "${azurerm_resource_group.state.name}"
    storage_account_name = "${azurerm_storage_account.state.name}"
    container_name       = "${azurerm_storage_container.state.name}"
    key                  = "${var.state_key}"
    use_azuread_auth     = true
  EOT
}
