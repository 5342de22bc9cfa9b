# User-assigned control-plane and kubelet identities per cluster.
resource "azurerm_user_assigned_identity" "control_plane" {
  for_each            = var.clusters
  name                = "id-aks-${each.key}"
  location            = var.location
  resource_group_name = each.value.resource_group_name
  tags                = var.tags
}

resource "azurerm_user_assigned_identity" "kubelet" {
  for_each            = var.clusters
  name                = "id-aks-${each.key}-kubelet"
  location            = var.location
  resource_group_name = each.value.resource_group_name
  tags                = var.tags
}

# A control plane that uses a custom kubelet identity must be able to assign it.
resource "azurerm_role_assignment" "kubelet_operator" {
  for_each             = var.clusters
  scope                = azurerm_user_assigned_identity.kubelet[each.key].id
  role_definition_name = "Managed Identity Operator"
  principal_id         = azurerm_user_assigned_identity.control_plane[each.key].principal_id
}

# A custom private DNS zone needs these two roles.
resource "azurerm_role_assignment" "private_dns" {
  for_each             = var.clusters
  scope                = var.aks_private_dns_zone_id
  role_definition_name = "Private DNS Zone Contributor"
  principal_id         = azurerm_user_assigned_identity.control_plane[each.key].principal_id
}

resource "azurerm_role_assignment" "network" {
  for_each             = var.clusters
  scope                = each.value.vnet_id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_user_assigned_identity.control_plane[each.key].principal_id
}


resource "azurerm_role_assignment" "acr_pull" {
  for_each             = var.clusters
  scope                = var.acr_id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.kubelet[each.key].principal_id
}
