output "bastion_name" {
  description = "Bastion host name."
  value       = azurerm_bastion_host.this.name
}

output "jump_vm_id" {
  description = "Jump VM ID (for `az network bastion ssh|tunnel --target-resource-id`)."
  value       = azurerm_linux_virtual_machine.jump.id
}

output "jump_vm_private_ip" {
  description = "Jump VM private address."
  value       = azurerm_network_interface.jump.private_ip_address
}

output "jump_vm_principal_id" {
  description = "System identity of the Jump VM."
  value       = azurerm_linux_virtual_machine.jump.identity[0].principal_id
}
