output "url" {
  description = "Dashboard URL."
  value       = var.hosting == "app_service" ? "https://${azurerm_linux_web_app.this[0].default_hostname}" : "http://localhost:3000 (az network bastion tunnel --resource-port 3000 --port 3000)"
}

output "entra_client_id" {
  description = "Application (client) ID of the dashboard's Entra app."
  value       = azuread_application.dashboard.client_id
}

output "entra_client_secret" {
  description = "Client secret for the dashboard's sign-in (store it in the app settings or env file)."
  value       = azuread_application_password.dashboard.value
  sensitive   = true
}

output "jump_vm_cloud_init" {
  description = "base64 cloud-init for the Jump VM (empty unless hosting = jump_vm)."
  value       = local.jump_vm_cloud_init
}

output "principal_id" {
  description = "Identity the dashboard uses against Azure."
  value       = local.principal_id
}
