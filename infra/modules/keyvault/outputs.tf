output "id" {
  description = "Vault ID."
  value       = azurerm_key_vault.this.id
}

output "vault_uri" {
  description = "https://<name>.vault.azure.net/"
  value       = azurerm_key_vault.this.vault_uri
}
