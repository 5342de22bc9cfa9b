# Peering does not forward DNS, so one private zone is linked to all three VNets and
# handed to each cluster as private_dns_zone_id (Jump VM resolves every API server).
resource "azurerm_private_dns_zone" "aks" {
  name                = var.aks_private_dns_zone
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "aks" {
  for_each              = var.vnets
  name                 = "link-aks-${each.key}"
  private_dns_zone_id  = azurerm_private_dns_zone.aks.id # azurerm 5.x: the zone by ID, no resource group
  virtual_network_id   = azurerm_virtual_network.this[each.key].id
  registration_enabled = false
  tags                 = var.tags
}

# Public zone for cert-manager DNS-01; records for the gateways are added by hand.
resource "azurerm_dns_zone" "public" {
  name                = var.dns_zone_name
  resource_group_name = var.resource_group_name
  tags                = var.tags
}
