output "vault_id" {
  description = "Backup vault ID."
  value       = azurerm_data_protection_backup_vault.this.id
}

output "backup_instance_ids" {
  description = "Backup instance per cluster."
  value       = { for k, v in azurerm_data_protection_backup_instance_kubernetes_cluster.this : k => v.id }
}
