variable "prefix" {
  type        = string
  description = "Name prefix."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}[a-z0-9]$", var.prefix))
    error_message = "prefix must be 3-16 lower-case letters, digits or hyphens, starting with a letter (it becomes part of resource and storage account names)."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Where the action group lives."
  validation {
    condition     = can(regex("^[-\\w.()]{0,89}[-\\w()]$", var.resource_group_name))
    error_message = "resource_group_name must be 1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period (Azure resource group naming rules)."
  }
}

variable "subscription_id" {
  type        = string
  description = "Budget scope."
  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.subscription_id))
    error_message = "subscription_id must be a GUID."
  }
}

variable "amount" {
  type        = number
  description = "Monthly budget in USD (250)."
  validation {
    condition     = var.amount > 0 && var.amount <= 250
    error_message = "amount must be more than 0 and at most 250 (USD per month)."
  }
}

variable "contact_emails" {
  type        = list(string)
  description = "Notified at 80 % and 100 % actual, 100 % forecast."
  validation {
    condition     = length(var.contact_emails) > 0
    error_message = "At least one address."
  }
}

variable "guard_webhook_url" {
  type        = string
  description = "Dashboard budget-guard endpoint; empty = e-mail only."
  default     = ""
  validation {
    condition     = var.guard_webhook_url == "" || startswith(var.guard_webhook_url, "https://")
    error_message = "guard_webhook_url must be empty or an https:// URL."
  }
}

variable "start_date" {
  type        = string
  description = "First month of the budget (RFC 3339, first of a month). Empty: the month of the first apply."
  default     = ""
  validation {
    condition     = var.start_date == "" || can(regex("^\\d{4}-\\d{2}-01T00:00:00Z$", var.start_date))
    error_message = "Empty, or the first day of a month, e.g. 2026-01-01T00:00:00Z."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
