# The dashboard identity's roles: exactly the union of lib/auth/permissions.ts (action → Azure
# operations → built-in role at the narrowest scope). A test parses this file and compares, so
# a role is added or removed there first.
locals {
  role_grants = [
    { role = "Azure Kubernetes Service Cluster User Role", scope = "clusters", infrastructure_jobs_only = false },
    { role = "Azure Kubernetes Service Contributor Role", scope = "clusters", infrastructure_jobs_only = false },
    { role = "Azure Kubernetes Service RBAC Cluster Admin", scope = "clusters", infrastructure_jobs_only = false },
    { role = "Azure Kubernetes Service RBAC Reader", scope = "clusters", infrastructure_jobs_only = false },
    { role = "Backup Contributor", scope = "backup-vault", infrastructure_jobs_only = false },
    { role = "Backup Operator", scope = "backup-vault", infrastructure_jobs_only = false },
    { role = "Contributor", scope = "subscription", infrastructure_jobs_only = true },
    { role = "Cost Management Reader", scope = "subscription", infrastructure_jobs_only = false },
    { role = "Key Vault Secrets User", scope = "resource-group:common", infrastructure_jobs_only = false },
    { role = "Network Contributor", scope = "resource-group:common", infrastructure_jobs_only = false },
    { role = "Network Contributor", scope = "resource-group:mgmt", infrastructure_jobs_only = false },
    { role = "Reader", scope = "resource-group:app1", infrastructure_jobs_only = false },
    { role = "Reader", scope = "resource-group:app2", infrastructure_jobs_only = false },
    { role = "Reader", scope = "resource-group:common", infrastructure_jobs_only = false },
    { role = "Reader", scope = "resource-group:mgmt", infrastructure_jobs_only = false },
    { role = "Reader", scope = "subscription", infrastructure_jobs_only = false },
    { role = "Role Based Access Control Administrator", scope = "subscription", infrastructure_jobs_only = true },
    { role = "Storage Blob Data Contributor", scope = "state-storage", infrastructure_jobs_only = false },
    { role = "Virtual Machine Contributor", scope = "node-resource-groups", infrastructure_jobs_only = false },
  ]

  scope_ids = merge(
    {
      "subscription"  = "/subscriptions/${var.subscription_id}"
      "backup-vault"  = var.backup_vault_id
      "state-storage" = var.state_storage_account_id
    },
    { for k, id in var.resource_group_ids : "resource-group:${k}" => id },
  )

  # Without remote state there is no storage account to grant on; without infrastructure jobs the
  # subscription-wide write roles are left out (those actions then fail with Azure's refusal).
  granted = [
    for g in local.role_grants : g
    if(var.grant_infrastructure_jobs || !g.infrastructure_jobs_only) && (g.scope != "state-storage" || var.state_storage_account_id != "")
  ]

  # Per-cluster scopes: the cluster itself, or the node resource group AKS keeps its VMs in.
  per_cluster_scopes = {
    "clusters"             = { label = "cluster", ids = var.cluster_ids }
    "node-resource-groups" = { label = "node-resource-group", ids = var.node_resource_group_ids }
  }

  role_assignments = merge([
    for g in local.granted : contains(keys(local.per_cluster_scopes), g.scope)
    ? { for k, id in local.per_cluster_scopes[g.scope].ids : "${g.role}@${local.per_cluster_scopes[g.scope].label}:${k}" => { role = g.role, scope = id } }
    : { "${g.role}@${g.scope}" = { role = g.role, scope = local.scope_ids[g.scope] } }
  ]...)
}

resource "azurerm_role_assignment" "dashboard" {
  for_each             = local.role_assignments
  scope                = each.value.scope
  role_definition_name = each.value.role
  principal_id         = azurerm_user_assigned_identity.dashboard.principal_id
  principal_type       = "ServicePrincipal"
}
