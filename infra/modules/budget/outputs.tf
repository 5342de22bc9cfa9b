output "action_group_id" {
  description = "Action group for budget and cluster alerts."
  value       = azurerm_monitor_action_group.budget.id
}

output "budget_id" {
  description = "Subscription budget ID."
  value       = azurerm_consumption_budget_subscription.monthly.id
}
