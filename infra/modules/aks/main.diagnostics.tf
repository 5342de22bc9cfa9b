locals {
  # The seven control-plane log categories.
  control_plane_log_categories = [
    "kube-apiserver",
    "kube-audit-admin",
    "kube-controller-manager",
    "kube-scheduler",
    "cluster-autoscaler",
    "guard",
    "cloud-controller-manager",
  ]
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  for_each                   = var.clusters
  name                       = "diag-aks-${each.key}"
  target_resource_id         = azurerm_kubernetes_cluster.this[each.key].id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  dynamic "enabled_log" {
    for_each = local.control_plane_log_categories
    content {
      category = enabled_log.value
    }
  }
}
