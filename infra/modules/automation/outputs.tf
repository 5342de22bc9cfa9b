output "automation_account_id" {
  description = "Automation account running the power schedule."
  value       = azurerm_automation_account.this.id
}

output "power_strategy" {
  description = "stop or sleep."
  value       = var.power_strategy
}
