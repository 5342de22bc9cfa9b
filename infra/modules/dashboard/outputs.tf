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

  precondition {
    condition     = var.hosting != "jump_vm" || local.node != null
    error_message = "The artifact was packaged with Node ${local.node_major}; the Jump VM installs Node 22 or 24. Package it again with one of those (npm run package)."
  }
  precondition {
    condition     = var.hosting != "jump_vm" || alltrue([for t in values(local.tools) : can(regex("^[0-9a-f]{64}$", t.sha256))])
    error_message = "Every tool needs its SHA-256: a release given in tool_versions needs tool_sha256 for it."
  }
  precondition {
    condition     = var.hosting != "jump_vm" || var.artifact_url == "" || local.artifact != null
    error_message = "Jump VM: artifact_manifest is required with artifact_url (the dist/<name>.json npm run package wrote), so that the VM installs the Node the artifact was built with."
  }
}

output "node_version" {
  description = "The Node the hosts run: the artifact's major (App Service stack <major>-lts; the Jump VM's pinned release)."
  value       = local.node == null ? "" : local.node.version
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
