variable "prefix" {
  type        = string
  description = "Name prefix."
}

variable "location" {
  type        = string
  description = "Azure region."
}

variable "resource_group_name" {
  type        = string
  description = "Common resource group (vault, storage)."
}

variable "snapshot_resource_group_name" {
  type        = string
  description = "E12: the operational tier keeps disk snapshots here."
}

variable "redundancy" {
  type        = string
  description = "Vault redundancy (ADR-013, C9)."
  default     = "ZoneRedundant"
  validation {
    condition     = var.redundancy == "ZoneRedundant"
    error_message = "C9: the vault is ZoneRedundant."
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
  description = "ISO 8601 repeating interval (§10.2: daily 02:00 UTC)."
  validation {
    condition     = can(regex("^R/\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}/P1D$", var.schedule))
    error_message = "A daily repeating interval, e.g. R/2026-01-01T02:00:00+00:00/P1D."
  }
}

variable "retention_days" {
  type        = number
  description = "Operational-tier retention (§10.2: 7 days)."
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
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
