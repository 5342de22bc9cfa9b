variable "prefix" {
  type        = string
  description = "Name prefix."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}[a-z0-9]$", var.prefix))
    error_message = "prefix must be 3-16 lower-case letters, digits or hyphens, starting with a letter (it becomes part of resource and storage account names)."
  }
}

variable "location" {
  type        = string
  description = "Azure region."
  validation {
    condition     = can(regex("^[a-z][a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name in lower case without spaces, e.g. koreacentral."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Common resource group (vault, storage)."
  validation {
    condition     = can(regex("^[-\\w.()]{0,89}[-\\w()]$", var.resource_group_name))
    error_message = "resource_group_name must be 1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period (Azure resource group naming rules)."
  }
}

variable "snapshot_resource_group_name" {
  type        = string
  description = "Resource group where the operational tier keeps disk snapshots."
  validation {
    condition     = can(regex("^[-\\w.()]{0,89}[-\\w()]$", var.snapshot_resource_group_name))
    error_message = "snapshot_resource_group_name must be 1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period."
  }
}

variable "redundancy" {
  type        = string
  description = "Vault redundancy."
  default     = "ZoneRedundant"
  validation {
    condition     = var.redundancy == "ZoneRedundant"
    error_message = "redundancy must be ZoneRedundant (backups must survive a zone failure)."
  }
}

variable "soft_delete" {
  type        = string
  description = "Backup vault soft delete: Off so that `tofu destroy` can delete the vault right after its backup instances; On keeps deleted backups 14 days (the vault then outlives a destroy)."
  default     = "Off"
  validation {
    condition     = contains(["Off", "On"], var.soft_delete)
    error_message = "soft_delete must be Off or On (AlwaysOn cannot be turned off again, so this module does not set it)."
  }
}

variable "schedule" {
  type        = string
  description = "ISO 8601 repeating interval (daily 02:00 UTC)."
  validation {
    condition     = can(regex("^R/\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}/P1D$", var.schedule))
    error_message = "A daily repeating interval, e.g. R/2026-01-01T02:00:00+00:00/P1D."
  }
}

variable "retention_days" {
  type        = number
  description = "Operational-tier retention (7 days)."
  validation {
    condition     = var.retention_days >= 1 && var.retention_days <= 360
    error_message = "1..360 days (operational tier limit)."
  }
}

variable "clusters" {
  type = map(object({
    id                         = string
    name                       = string
    resource_group_name        = string
    node_resource_group        = string
    kubelet_object_id          = string
    control_plane_principal_id = string
  }))
  description = "Clusters to protect (modules/aks output)."
  validation {
    condition     = length(var.clusters) > 0 && alltrue([for k, c in var.clusters : can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.ContainerService/managedClusters/[^/]+$", c.id)) && can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", c.control_plane_principal_id))])
    error_message = "clusters: each needs an AKS cluster resource ID and its control-plane principal ID (a GUID)."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
