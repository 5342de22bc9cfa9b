output "clusters" {
  description = "Per cluster: id, name, resource group, kubelet object id, node resource group."
  value = {
    for k, v in azurerm_kubernetes_cluster.this : k => {
      id                  = v.id
      name                = v.name
      resource_group_name = v.resource_group_name
      node_resource_group = v.node_resource_group
      kubelet_object_id   = var.identities[k].kubelet_object_id
      # ARM returns identity.principalId only for a system-assigned identity; this cluster's control
      # plane is user-assigned, so its principal is the identity resource's own principal_id.
      control_plane_principal_id = var.identities[k].control_plane_principal_id
    }
  }
}

output "oidc_issuer_urls" {
  description = "OIDC issuer per cluster (federated credentials)."
  value       = { for k, v in azurerm_kubernetes_cluster.this : k => v.oidc_issuer_url }
}

output "node_provisioning_mode" {
  description = "Auto (NAP; cannot be stopped) or Manual."
  value       = local.nap ? "Auto" : "Manual"
}
