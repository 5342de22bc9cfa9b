variable "prefix" {
  type        = string
  description = "Name prefix."
}

variable "resource_group_name" {
  type        = string
  description = "Where the action group lives."
}

variable "subscription_id" {
  type        = string
  description = "Budget scope."
}

variable "amount" {
  type        = number
  description = "Monthly budget in USD (C10: 250)."
  validation {
    condition     = var.amount > 0 && var.amount <= 250
    error_message = "C10: the monthly budget is at most $250."
  }
}

variable "contact_emails" {
  type        = list(string)
  description = "Notified at 80 % and 100 % actual, 100 % forecast."
  validation {
    condition     = length(var.contact_emails) > 0
    error_message = "At least one address (C10)."
  }
}

variable "guard_webhook_url" {
  type        = string
  description = "Dashboard budget-guard endpoint; empty = e-mail only."
  default     = ""
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
