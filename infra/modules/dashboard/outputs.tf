output "url" {
  description = "Dashboard URL."
  value       = var.hosting == "app_service" ? "https://${azurerm_linux_web_app.this[0].default_hostname}" : "http://localhost:${var.jump_vm_port} (az network bastion tunnel --resource-port ${var.jump_vm_port} --port ${var.jump_vm_port})"
}

output "entra_client_id" {
  description = "Application (client) ID of the dashboard's Entra app."
  value       = azuread_application.dashboard.client_id
}

output "jump_vm_cloud_init" {
  description = "base64 cloud-init for the Jump VM (empty unless hosting = jump_vm)."
  value       = local.jump_vm_cloud_init
}

output "identity_id" {
  description = "The dashboard's user-assigned identity: attach it to the Jump VM when hosting = jump_vm."
  value       = azurerm_user_assigned_identity.dashboard.id
}

output "principal_id" {
  description = "Identity the dashboard uses against Azure."
  value       = azurerm_user_assigned_identity.dashboard.principal_id
}

output "app_settings" {
  description = "The settings the dashboard runs with on either host (no secrets unless database = postgresql)."
  value       = local.app_settings
  sensitive   = true
}
