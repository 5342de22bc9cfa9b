locals {
  # Full mesh, both directions (mgmt↔app1, mgmt↔app2, app1↔app2).
  peerings = merge([
    for a in keys(var.vnets) : {
      for b in keys(var.vnets) : "${a}-to-${b}" => { from = a, to = b } if a != b
    }
  ]...)
}

resource "azurerm_virtual_network_peering" "this" {
  for_each                     = local.peerings
  name                         = "peer-${each.key}"
  resource_group_name          = var.resource_group_name
  virtual_network_name         = azurerm_virtual_network.this[each.value.from].name
  remote_virtual_network_id    = azurerm_virtual_network.this[each.value.to].id
  allow_virtual_network_access = true
  allow_forwarded_traffic      = false
}
