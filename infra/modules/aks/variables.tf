variable "location" {
  type        = string
  description = "Azure region."
  validation {
    condition     = can(regex("^[a-z][a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name in lower case without spaces, e.g. koreacentral."
  }
}

variable "zones" {
  type        = list(string)
  description = "Availability zones of every pool."
  validation {
    condition     = length(var.zones) == 3 && length(setsubtract(toset(["1", "2", "3"]), toset(var.zones))) == 0
    error_message = "zones must be exactly 1, 2 and 3: every pool spans the three zones."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor."
  validation {
    condition     = can(regex("^1\\.(3[5-9]|[4-9][0-9])$", var.kubernetes_version))
    error_message = "1.35 or newer."
  }
}

variable "sku_tier" {
  type        = string
  description = "AKS tier; Standard for the zone-redundant SLA."
  default     = "Standard"
  validation {
    condition     = contains(["Free", "Standard", "Premium"], var.sku_tier)
    error_message = "Free, Standard or Premium."
  }
}

variable "tenant_id" {
  type        = string
  description = "Entra tenant for AKS-managed Entra integration."
  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.tenant_id))
    error_message = "tenant_id must be a GUID."
  }
}

variable "clusters" {
  type = map(object({
    has_ingress_pool    = bool
    mesh_enabled        = bool
    vnet_key            = string
    resource_group_name = string
    subnet_id           = string
  }))
  description = "Clusters by name (mgmt, app1, app2)."
  validation {
    condition     = alltrue([for k in keys(var.clusters) : can(regex("^[a-z][a-z0-9]{1,10}$", k))])
    error_message = "Cluster keys are short lowercase names."
  }
}

variable "node_vm_size" {
  type        = string
  description = "VM size of system, ingress and worker nodes."
  default     = "Standard_D2s_v5"
  validation {
    condition     = can(regex("^Standard_[A-Za-z0-9_]+$", var.node_vm_size))
    error_message = "node_vm_size must be an Azure VM size such as Standard_D2s_v5."
  }
}

variable "system_node_count" {
  type        = number
  description = "System nodes per cluster: one per zone."
  default     = 3
  validation {
    condition     = var.system_node_count >= 3 && var.system_node_count % 3 == 0
    error_message = "A multiple of 3, at least 3 (one per zone)."
  }
}

variable "ingress_node_count" {
  type        = number
  description = "Ingress nodes on mgmt/app1: one per zone."
  default     = 3
  validation {
    condition     = var.ingress_node_count >= 3 && var.ingress_node_count % 3 == 0
    error_message = "A multiple of 3, at least 3."
  }
}

variable "worker_provisioning" {
  type        = string
  description = "nap (node auto-provisioning, Karpenter) or autoscaler (Spot user pool, min 0)."
  validation {
    condition     = contains(["nap", "autoscaler"], var.worker_provisioning)
    error_message = "nap or autoscaler."
  }
}

variable "worker_max_count" {
  type        = number
  description = "Max Spot workers per cluster in autoscaler mode."
  default     = 5
  validation {
    condition     = var.worker_max_count >= 1 && var.worker_max_count <= 10
    error_message = "1..10."
  }
}

variable "istio_revisions" {
  type        = list(string)
  description = "Istio add-on revisions (two during a canary upgrade), asm-1-30 or newer."
  validation {
    condition     = length(var.istio_revisions) >= 1 && length(var.istio_revisions) <= 2 && alltrue([for r in var.istio_revisions : can(regex("^asm-1-(3[0-9]|[4-9][0-9])$", r))])
    error_message = "One or two revisions, each asm-1-30 or newer."
  }
}

variable "acns_observability_enabled" {
  type        = bool
  description = "ACNS observability (Hubble flows/metrics, paid)."
  default     = false
}

variable "private_dns_zone_id" {
  type        = string
  description = "Shared private DNS zone for the API servers."
  validation {
    condition     = can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.Network/privateDnsZones/[^/]+$", var.private_dns_zone_id))
    error_message = "private_dns_zone_id must be a private DNS zone resource ID."
  }
}

variable "identities" {
  type = map(object({
    control_plane_id           = string
    control_plane_principal_id = string
    kubelet_id                 = string
    kubelet_client_id = string
    kubelet_object_id = string
  }))
  description = "User-assigned identities per cluster (modules/identity)."
  validation {
    condition     = alltrue([for k, i in var.identities : can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.ManagedIdentity/userAssignedIdentities/[^/]+$", i.control_plane_id)) && can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.ManagedIdentity/userAssignedIdentities/[^/]+$", i.kubelet_id)) && can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", i.kubelet_client_id)) && can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", i.kubelet_object_id)) && can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", i.control_plane_principal_id))])
    error_message = "identities: user-assigned identity resource IDs and GUIDs (client, object and principal IDs)."
  }
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Container Insights, Defender and diagnostics destination."
  validation {
    condition     = can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.OperationalInsights/workspaces/[^/]+$", var.log_analytics_workspace_id))
    error_message = "log_analytics_workspace_id must be a Log Analytics workspace resource ID."
  }
}

variable "monitor_workspace_id" {
  type        = string
  description = "Azure Monitor workspace for Managed Prometheus."
  validation {
    condition     = can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.Monitor/accounts/[^/]+$", var.monitor_workspace_id))
    error_message = "monitor_workspace_id must be an Azure Monitor workspace resource ID."
  }
}

variable "action_group_id" {
  type        = string
  description = "Action group for the CPU/memory/CrashLoopBackOff alerts."
  validation {
    condition     = can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.Insights/actionGroups/[^/]+$", var.action_group_id))
    error_message = "action_group_id must be a monitor action group resource ID."
  }
}

variable "defender_plan_enabled" {
  type        = bool
  description = "Turn on the subscription's Defender for Containers plan (~$6.87/vCore/month)."
  default     = true
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
