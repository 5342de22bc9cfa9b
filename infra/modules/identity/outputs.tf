output "cluster_identities" {
  description = "Control-plane and kubelet identities per cluster (modules/aks input)."
  # The clusters read this output, so they wait for the roles their control plane needs at create
  # time (assign the kubelet identity, write the private DNS zone, join the subnet). The azurerm
  # kubernetes_cluster docs ask for this dependency with a bring-your-own private DNS zone.
  depends_on = [
    azurerm_role_assignment.kubelet_operator,
    azurerm_role_assignment.private_dns,
    azurerm_role_assignment.network,
  ]
  value = {
    for k in keys(var.clusters) : k => {
      control_plane_id           = azurerm_user_assigned_identity.control_plane[k].id
      control_plane_principal_id = azurerm_user_assigned_identity.control_plane[k].principal_id
      kubelet_id        = azurerm_user_assigned_identity.kubelet[k].id
      kubelet_client_id = azurerm_user_assigned_identity.kubelet[k].client_id
      kubelet_object_id = azurerm_user_assigned_identity.kubelet[k].principal_id
    }
  }
}

output "workload_identity_client_ids" {
  description = "Client IDs for the cert-manager and ESO service-account annotations."
  value = {
    cert_manager     = azurerm_user_assigned_identity.cert_manager.client_id
    external_secrets = { for k, v in azurerm_user_assigned_identity.external_secrets : k => v.client_id }
  }
}
