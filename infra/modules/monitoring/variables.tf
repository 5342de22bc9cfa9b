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
  description = "Common resource group."
}

variable "subscription_id" {
  type        = string
  description = "Subscription whose activity log goes to Log Analytics."
}

variable "log_retention_days" {
  type        = number
  description = "Log Analytics retention (§6.2: 30 days)."
  default     = 30
  validation {
    condition     = var.log_retention_days >= 30 && var.log_retention_days <= 730
    error_message = "30..730 days."
  }
}

variable "daily_quota_gb" {
  type        = number
  description = "Daily ingestion cap; the free 5 GB/month is ~0.16 GB/day (§8.1). -1 = none."
  default     = 1
}

variable "managed_grafana_enabled" {
  type        = bool
  description = "Create Managed Grafana Standard v12 (billed)."
  default     = false
}

variable "grafana_admin_object_id" {
  type        = string
  description = "Principal granted Grafana Admin."
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
