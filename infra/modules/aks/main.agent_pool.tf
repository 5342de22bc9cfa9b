# Ingress pool, Regular, zones 1/2/3, mgmt and app1 only.
# The Istio add-on places its gateways only by preferred affinity to this label, so the
# a NoSchedule taint would keep them off the pool: labelled, not tainted.
resource "azurerm_kubernetes_cluster_node_pool" "ingress" {
  for_each              = { for k, v in var.clusters : k => v if v.has_ingress_pool }
  name                  = "ingress"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.this[each.key].id
  vm_size               = var.node_vm_size
  node_count            = var.ingress_node_count
  mode                  = "User"
  priority              = "Regular"
  zones                 = var.zones
  vnet_subnet_id        = each.value.subnet_id
  node_labels = {
    "role"                                     = "ingress"
    "azureservicemesh/istio.replica.preferred" = "true"
  }
  tags = var.tags

  lifecycle {
    ignore_changes = [node_count] # scaled to 0 while the cluster sleeps (NAP clusters cannot be stopped)
  }
}

# worker_provisioning = "autoscaler": Spot workers without NAP, so a full stop works.
resource "azurerm_kubernetes_cluster_node_pool" "worker" {
  for_each              = local.nap ? {} : var.clusters
  name                  = "worker"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.this[each.key].id
  vm_size               = var.node_vm_size
  mode                  = "User"
  priority              = "Spot" # no on-demand fallback
  eviction_policy       = "Delete"
  spot_max_price        = -1
  auto_scaling_enabled  = true
  min_count             = 0
  max_count             = var.worker_max_count
  zones                 = var.zones
  vnet_subnet_id        = each.value.subnet_id
  # AKS puts this label and taint on every Spot node itself; declaring both keeps the plan
  # from showing a diff after every apply (azurerm kubernetes_cluster_node_pool docs, `priority`).
  node_taints = ["kubernetes.azure.com/scalesetpriority=spot:NoSchedule"]
  node_labels = {
    "role"                                  = "worker"
    "kubernetes.azure.com/scalesetpriority" = "spot"
  }
  tags = var.tags

  lifecycle {
    ignore_changes = [node_count]
  }
}
