locals {
  nap = var.worker_provisioning == "nap"
}

resource "azurerm_kubernetes_cluster" "this" {
  for_each            = var.clusters
  name                = "aks-${each.key}"
  location            = var.location
  resource_group_name = each.value.resource_group_name
  dns_prefix_private_cluster = "aks-${each.key}"
  kubernetes_version  = var.kubernetes_version
  sku_tier            = var.sku_tier

  # No public API endpoint; the shared zone lets the Jump VM resolve all three.
  # NAP needs publicNetworkAccess left Enabled at the ARM level (Azure/AKS#5586); privacy comes
  # from the private cluster itself, and no public FQDN is published.
  private_cluster_enabled             = true
  private_cluster_public_fqdn_enabled = false
  private_dns_zone_id                 = var.private_dns_zone_id

  oidc_issuer_enabled       = true # workload identity for cert-manager, ESO
  workload_identity_enabled = true
  local_account_disabled    = true
  role_based_access_control_enabled = true

  azure_active_directory_role_based_access_control {
    tenant_id          = var.tenant_id
    azure_rbac_enabled = true
  }

  # System pool, Regular, 1 node per zone.
  default_node_pool {
    name                         = "system"
    vm_size                      = var.node_vm_size
    node_count                   = var.system_node_count
    zones                        = var.zones
    vnet_subnet_id               = each.value.subnet_id
    only_critical_addons_enabled = true # CriticalAddonsOnly taint: workloads go to workers
    temporary_name_for_rotation  = "systemtmp"
    upgrade_settings {
      max_surge = "33%"
    }
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [var.identities[each.key].control_plane_id]
  }

  kubelet_identity {
    client_id                 = var.identities[each.key].kubelet_client_id
    object_id                 = var.identities[each.key].kubelet_object_id
    user_assigned_identity_id = var.identities[each.key].kubelet_id
  }

  # Azure CNI overlay + Cilium; outbound through the load balancer (fixed after creation with NAP).
  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_data_plane  = "cilium"
    network_policy      = "cilium"
    load_balancer_sku   = "standard"
    outbound_type       = "loadBalancer"

    dynamic "advanced_networking" {
      for_each = var.acns_observability_enabled ? [1] : []
      content {
        observability_enabled = true # Hubble flows need ACNS (paid)
        security_enabled      = false
      }
    }
  }

  # NAP without its on-demand `default` NodePool; the Spot-only NodePool is in
  # manifests/karpenter. In autoscaler mode NAP is off so that `az aks stop` works.
  node_provisioning_profile {
    mode               = local.nap ? "Auto" : "Manual"
    default_node_pools = local.nap ? "None" : "Auto"
  }

  monitor_metrics {} # Managed Prometheus (DCR in main.prometheus.tf)

  oms_agent {
    log_analytics_workspace_id      = var.log_analytics_workspace_id
    msi_auth_for_monitoring_enabled = true
  }

  # Rotation on so Reloader sees renewed certificates.
  key_vault_secrets_provider {
    secret_rotation_enabled  = true
    secret_rotation_interval = "2m"
  }

  # Absent blocks mean "off" to azurerm, so Defender and the mesh are declared here.
  microsoft_defender {
    log_analytics_workspace_id = var.log_analytics_workspace_id
  }

  dynamic "service_mesh_profile" {
    for_each = each.value.mesh_enabled ? [1] : []
    content {
      mode                             = "Istio"
      revisions                        = var.istio_revisions
      external_ingress_gateway_enabled = true
      internal_ingress_gateway_enabled = false
    }
  }

  tags = var.tags

  lifecycle {
    # The dashboard's sleep/wake and the Automation runbook scale pools; tofu must not undo that.
    ignore_changes = [default_node_pool[0].node_count]
  }
}
