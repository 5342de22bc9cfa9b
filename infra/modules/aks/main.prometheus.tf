# Managed Prometheus wiring (DCE → DCR → association per cluster).
resource "azurerm_monitor_data_collection_endpoint" "prometheus" {
  for_each            = var.clusters
  name                = "dce-prom-${each.key}"
  location            = var.location
  resource_group_name = each.value.resource_group_name
  kind                = "Linux"
  tags                = var.tags
}

resource "azurerm_monitor_data_collection_rule" "prometheus" {
  for_each                    = var.clusters
  name                        = "dcr-prom-${each.key}"
  location                    = var.location
  resource_group_name         = each.value.resource_group_name
  data_collection_endpoint_id = azurerm_monitor_data_collection_endpoint.prometheus[each.key].id
  kind                        = "Linux"

  destinations {
    monitor_account {
      monitor_account_id = var.monitor_workspace_id
      name               = "MonitoringAccount"
    }
  }

  data_flow {
    streams      = ["Microsoft-PrometheusMetrics"]
    destinations = ["MonitoringAccount"]
  }

  data_sources {
    prometheus_forwarder {
      streams = ["Microsoft-PrometheusMetrics"]
      name    = "PrometheusDataSource"
    }
  }
  tags = var.tags
}

resource "azurerm_monitor_data_collection_rule_association" "prometheus" {
  for_each                = var.clusters
  name                    = "dcra-prom-${each.key}"
  target_resource_id      = azurerm_kubernetes_cluster.this[each.key].id
  data_collection_rule_id = azurerm_monitor_data_collection_rule.prometheus[each.key].id
}

resource "azurerm_monitor_data_collection_rule_association" "prometheus_endpoint" {
  for_each                    = var.clusters
  target_resource_id          = azurerm_kubernetes_cluster.this[each.key].id
  data_collection_endpoint_id = azurerm_monitor_data_collection_endpoint.prometheus[each.key].id
}
