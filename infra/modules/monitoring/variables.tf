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
  description = "Common resource group."
  validation {
    condition     = can(regex("^[-\\w.()]{0,89}[-\\w()]$", var.resource_group_name))
    error_message = "resource_group_name must be 1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period (Azure resource group naming rules)."
  }
}

variable "subscription_id" {
  type        = string
  description = "Subscription whose activity log goes to Log Analytics."
  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.subscription_id))
    error_message = "subscription_id must be a GUID."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Log Analytics retention (30 days)."
  default     = 30
  validation {
    condition     = var.log_retention_days >= 30 && var.log_retention_days <= 730
    error_message = "30..730 days."
  }
}

variable "daily_quota_gb" {
  type        = number
  description = "Daily ingestion cap; the free 5 GB/month is ~0.16 GB/day. -1 = none."
  default     = 1
  validation {
    condition     = var.daily_quota_gb == -1 || var.daily_quota_gb >= 0.023
    error_message = "daily_quota_gb must be -1 (no cap) or at least 0.023 GB (the Log Analytics minimum)."
  }
}

variable "managed_grafana_enabled" {
  type        = bool
  description = "Create Managed Grafana Standard v12 (billed)."
  default     = false
}

variable "grafana_admin_object_id" {
  type        = string
  description = "Principal granted Grafana Admin."
  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.grafana_admin_object_id))
    error_message = "grafana_admin_object_id must be an Entra object ID (GUID)."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
