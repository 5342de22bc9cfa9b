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
  validation {
    condition     = can(regex("^[a-z][a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name in lower case without spaces, e.g. koreacentral."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Common resource group."
  validation {
    condition     = can(regex("^[-\\w.()]{0,89}[-\\w()]$", var.resource_group_name))
    error_message = "resource_group_name must be 1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period (Azure resource group naming rules)."
  }
}

variable "tenant_id" {
  type        = string
  description = "Entra tenant."
  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.tenant_id))
    error_message = "tenant_id must be a GUID."
  }
}

variable "admin_object_id" {
  type        = string
  description = "Principal that runs tofu; gets Key Vault Administrator."
  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.admin_object_id))
    error_message = "admin_object_id must be an Entra object ID (GUID)."
  }
}

variable "private_endpoint_subnet_id" {
  type        = string
  description = "Subnet of the private endpoint."
  validation {
    condition     = can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.Network/virtualNetworks/[^/]+/subnets/[^/]+$", var.private_endpoint_subnet_id))
    error_message = "private_endpoint_subnet_id must be a subnet resource ID."
  }
}

variable "vnet_ids" {
  type        = map(string)
  description = "VNets linked to privatelink.vaultcore.azure.net."
  validation {
    condition     = length(var.vnet_ids) > 0 && alltrue([for id in values(var.vnet_ids) : can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.Network/virtualNetworks/[^/]+$", id))])
    error_message = "vnet_ids must map names to virtual network resource IDs."
  }
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "AuditEvent destination."
  validation {
    condition     = can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.OperationalInsights/workspaces/[^/]+$", var.log_analytics_workspace_id))
    error_message = "log_analytics_workspace_id must be a Log Analytics workspace resource ID."
  }
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
