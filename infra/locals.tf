# The environment's names and numbers, once. Everything else references these.
locals {
  prefix   = "k8s-demo"
  location = "koreacentral"
  zones    = ["1", "2", "3"]

  resource_groups = {
    common = "rg-${local.prefix}-common"
    mgmt   = "rg-${local.prefix}-mgmt"
    app1   = "rg-${local.prefix}-app1"
    app2   = "rg-${local.prefix}-app2"
  }

  # One VNet per cluster, full-mesh peering.
  vnets = {
    mgmt = { cidr = "10.1.0.0/16", nodes_cidr = "10.1.0.0/22" }
    app1 = { cidr = "10.2.0.0/16", nodes_cidr = "10.2.0.0/22" }
    app2 = { cidr = "10.3.0.0/16", nodes_cidr = "10.3.0.0/22" }
  }
  bastion_subnet_cidr  = "10.1.100.0/26" # /26 or larger, fixed name AzureBastionSubnet
  jump_subnet_cidr     = "10.1.101.0/27"
  endpoints_subnet_cidr = "10.1.102.0/27" # Key Vault private endpoint
  appsvc_subnet_cidr   = "10.1.103.0/27" # dashboard App Service VNet integration
  postgres_subnet_cidr = "10.1.104.0/28" # dashboard PostgreSQL (dashboard_database = "postgresql")
  aks_private_dns_zone = "privatelink.${local.location}.azmk8s.io"

  # Ingress pool on mgmt and app1 only; Istio add-on on the same two.
  clusters = {
    mgmt = { has_ingress_pool = true, mesh_enabled = true, vnet_key = "mgmt" }
    app1 = { has_ingress_pool = true, mesh_enabled = true, vnet_key = "app1" }
    app2 = { has_ingress_pool = false, mesh_enabled = false, vnet_key = "app2" }
  }

  # D2s_v5 everywhere; 1 node per zone for system and ingress.
  node_vm_size       = "Standard_D2s_v5"
  system_node_count  = 3
  ingress_node_count = 3
  jump_vm_size       = "Standard_B2s"

  aks_sku_tier = "Standard" # 99.95 % control-plane SLA with zones

  budget_amount = 250 # USD per month

  # Nightly power-down 22:00, power-up 09:00 Korea time.
  power_schedule = { stop_at = "22:00", start_at = "09:00", time_zone = "Asia/Seoul" }
  # AKS refuses to stop clusters with node auto-provisioning, so NAP clusters sleep instead.
  power_strategy = var.worker_provisioning == "nap" ? "sleep" : "stop"

  # Daily 02:00 UTC, 7 days.
  backup_schedule       = "R/2026-01-01T02:00:00+00:00/P1D"
  backup_retention_days = 7

  # Azurerm 5.x registers nothing by default; every RP this code uses.
  resource_providers = [
    "Microsoft.AlertsManagement",
    "Microsoft.Automation",
    "Microsoft.Compute",
    "Microsoft.Consumption",
    "Microsoft.ContainerRegistry",
    "Microsoft.ContainerService",
    "Microsoft.Dashboard",
    "Microsoft.DataProtection",
    "Microsoft.Insights",
    "Microsoft.KeyVault",
    "Microsoft.KubernetesConfiguration",
    "Microsoft.ManagedIdentity",
    "Microsoft.Monitor",
    "Microsoft.Network",
    "Microsoft.OperationalInsights",
    "Microsoft.OperationsManagement",
    "Microsoft.Security",
    "Microsoft.Storage",
    "Microsoft.Web",
  ]

  tags = merge(var.tags, { project = "aks-demo-control-plane" })
}
