output "cluster_identities" {
  description = "Control-plane and kubelet identities per cluster (modules/aks input)."
  value = {
    for k in keys(var.clusters) : k => {
      control_plane_id  = azurerm_user_assigned_identity.control_plane[k].id
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
