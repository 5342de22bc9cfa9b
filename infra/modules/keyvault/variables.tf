variable "name" {
  type        = string
  description = "Globally unique vault name."
  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", var.name))
    error_message = "3-24 characters, letters/digits/hyphens."
  }
}

variable "location" {
  type        = string
  description = "Azure region."
}

variable "resource_group_name" {
  type        = string
  description = "Common resource group."
}

variable "tenant_id" {
  type        = string
  description = "Entra tenant."
}

variable "admin_object_id" {
  type        = string
  description = "Principal that runs tofu; gets Key Vault Administrator."
}

variable "private_endpoint_subnet_id" {
  type        = string
  description = "Subnet of the private endpoint (§5.6)."
}

variable "vnet_ids" {
  type        = map(string)
  description = "VNets linked to privatelink.vaultcore.azure.net."
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "AuditEvent destination (§8.1)."
}

variable "soft_delete_retention_days" {
  type        = number
  description = "Soft-delete retention."
  default     = 7
  validation {
    condition     = var.soft_delete_retention_days >= 7 && var.soft_delete_retention_days <= 90
    error_message = "7..90 days."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
