output "resource_groups" {
  description = "Resource group names by key (common, mgmt, app1, app2)."
  value       = { for k, v in azurerm_resource_group.this : k => v.name }
}

output "clusters" {
  description = "AKS clusters: name, resource group, id (the dashboard and install.sh read these)."
  value       = module.aks.clusters
}

output "get_credentials_commands" {
  description = "Run on the Jump VM (the API servers are private)."
  value       = { for k, v in module.aks.clusters : k => "az aks get-credentials -g ${v.resource_group_name} -n ${v.name}" }
}

output "worker_provisioning" {
  description = "nap or autoscaler."
  value       = var.worker_provisioning
}

output "power_strategy" {
  description = "How the nightly power-down works for these clusters: stop (autoscaler) or sleep (NAP)."
  value       = local.power_strategy
}

output "key_vault_uri" {
  description = "Key Vault URI for ESO ClusterSecretStore and SecretProviderClass."
  value       = module.keyvault.vault_uri
}

output "acr_login_server" {
  description = "ACR login server (allow-listed in Kyverno restrict-image-registries)."
  value       = module.acr.login_server
}

output "workload_identity_client_ids" {
  description = "Client IDs for cert-manager and External Secrets service accounts (add-on scripts 01, 02)."
  value       = module.identity.workload_identity_client_ids
}

output "backup_vault_id" {
  description = "Backup vault."
  value       = module.backup.vault_id
}

output "application_insights_connection_string" {
  description = "For the OTel collector (16-otel-collector.sh)."
  value       = module.monitoring.application_insights_connection_string
  sensitive   = true
}

output "bastion_name" {
  description = "Bastion host for `az network bastion ssh|tunnel` (tunnels need Standard)."
  value       = module.access.bastion_name
}

output "dashboard_url" {
  description = "Where the dashboard answers (App Service URL, or the Jump VM's private address)."
  value       = module.dashboard.url
}

output "dashboard_entra_client_id" {
  description = "Entra application (client) ID for the dashboard's sign-in."
  value       = module.dashboard.entra_client_id
}

output "budget_action_group_id" {
  description = "Action group the budget notifies (the dashboard's budget guard can use it)."
  value       = module.budget.action_group_id
}
