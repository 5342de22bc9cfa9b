# CPU > 90 %, memory > 90 % (metric), CrashLoopBackOff (KQL).
resource "azurerm_monitor_metric_alert" "cpu_high" {
  for_each            = var.clusters
  name                = "alert-cpu-${each.key}"
  resource_group_name = each.value.resource_group_name
  scopes              = [azurerm_kubernetes_cluster.this[each.key].id]
  description         = "Node CPU above 90 %"
  severity            = 2
  frequency           = "PT5M"
  window_size         = "PT15M"
  criteria {
    metric_namespace = "Microsoft.ContainerService/managedClusters"
    metric_name      = "node_cpu_usage_percentage"
    aggregation      = "Average"
    operator         = "GreaterThan"
    threshold        = 90
  }
  action {
    action_group_id = var.action_group_id
  }
  tags = var.tags
}

resource "azurerm_monitor_metric_alert" "memory_high" {
  for_each            = var.clusters
  name                = "alert-memory-${each.key}"
  resource_group_name = each.value.resource_group_name
  scopes              = [azurerm_kubernetes_cluster.this[each.key].id]
  description         = "Node working-set memory above 90 %"
  severity            = 2
  frequency           = "PT5M"
  window_size         = "PT15M"
  criteria {
    metric_namespace = "Microsoft.ContainerService/managedClusters"
    metric_name      = "node_memory_working_set_percentage"
    aggregation      = "Average"
    operator         = "GreaterThan"
    threshold        = 90
  }
  action {
    action_group_id = var.action_group_id
  }
  tags = var.tags
}

resource "azurerm_monitor_scheduled_query_rules_alert_v2" "crashloop" {
  for_each             = var.clusters
  name                 = "alert-crashloop-${each.key}"
  location             = var.location
  resource_group_name  = each.value.resource_group_name
  scopes               = [var.log_analytics_workspace_id]
  description          = "Containers in CrashLoopBackOff on aks-${each.key}"
  severity             = 2
  evaluation_frequency = "PT5M"
  window_duration      = "PT15M"
  criteria {
    query                   = <<-KQL
      KubePodInventory
      | where ClusterName == "aks-${each.key}"
      | where ContainerStatusReason == "CrashLoopBackOff"
      | summarize restarts = count() by Namespace, Name
    KQL
    time_aggregation_method = "Count"
    operator                = "GreaterThan"
    threshold               = 0
  }
  action {
    action_groups = [var.action_group_id]
  }
  tags = var.tags
}
