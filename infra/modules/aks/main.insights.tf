# Container Insights with managed-identity auth (oms_agent.msi_auth_for_monitoring_enabled) sends
# nothing until a data collection rule with the ContainerInsights extension is associated with the
# cluster ("Enable monitoring for AKS clusters", Azure Monitor docs, Terraform tab). Without it
# KubePodInventory stays empty and the CrashLoopBackOff alert in main.alerts.tf never fires.
locals {
  # KubePodInventory feeds the CrashLoopBackOff alert; the rest is the smallest useful set under
  # the workspace's daily cap (ContainerLogV2 rather than the legacy ContainerLog table).
  container_insights_streams = [
    "Microsoft-ContainerLogV2",
    "Microsoft-KubeEvents",
    "Microsoft-KubePodInventory",
    "Microsoft-KubeNodeInventory",
  ]
}

resource "azurerm_monitor_data_collection_rule" "container_insights" {
  for_each            = var.clusters
  name                = "MSCI-${var.location}-aks-${each.key}"
  location            = var.location # the workspace's region
  resource_group_name = each.value.resource_group_name
  description         = "Container Insights for aks-${each.key}"

  destinations {
    log_analytics {
      name                  = "ciworkspace"
      workspace_resource_id = var.log_analytics_workspace_id
    }
  }

  data_flow {
    streams      = local.container_insights_streams
    destinations = ["ciworkspace"]
  }

  data_sources {
    extension {
      name           = "ContainerInsightsExtension"
      extension_name = "ContainerInsights"
      streams        = local.container_insights_streams
      extension_json = jsonencode({
        dataCollectionSettings = {
          interval               = "1m"
          namespaceFilteringMode = "Off"
          enableContainerLogV2   = true
        }
      })
    }
  }
  tags = var.tags
}

resource "azurerm_monitor_data_collection_rule_association" "container_insights" {
  for_each                = var.clusters
  name                    = "ContainerInsightsExtension"
  target_resource_id      = azurerm_kubernetes_cluster.this[each.key].id
  data_collection_rule_id = azurerm_monitor_data_collection_rule.container_insights[each.key].id
  description             = "Container Insights; deleting this association stops log collection for aks-${each.key}."
}
