output "vnet_ids" {
  description = "VNet IDs by cluster key."
  value       = { for k, v in azurerm_virtual_network.this : k => v.id }
}

output "node_subnet_ids" {
  description = "AKS node subnet IDs by cluster key."
  value       = { for k, v in azurerm_subnet.nodes : k => v.id }
}

output "bastion_subnet_id" {
  description = "AzureBastionSubnet ID."
  value       = azurerm_subnet.bastion.id
}

output "jump_subnet_id" {
  description = "Jump VM subnet ID."
  value       = azurerm_subnet.jump.id
}

output "endpoints_subnet_id" {
  description = "Private endpoints subnet ID."
  value       = azurerm_subnet.endpoints.id
}

output "appsvc_subnet_id" {
  description = "App Service integration subnet ID."
  value       = azurerm_subnet.appsvc.id
}

output "postgres_subnet_id" {
  description = "The PostgreSQL-delegated subnet of the hub (empty when postgres_subnet_cidr is empty)."
  value       = var.postgres_subnet_cidr == "" ? "" : azurerm_subnet.postgres[0].id
}

output "aks_private_dns_zone_id" {
  description = "Shared private DNS zone for the API servers."
  value       = azurerm_private_dns_zone.aks.id
}

output "dns_zone_id" {
  description = "Public DNS zone (cert-manager DNS-01)."
  value       = azurerm_dns_zone.public.id
}
