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

variable "clusters" {
  type        = map(object({ id = string, name = string, resource_group_name = string }))
  description = "Clusters to power down and up."
  validation {
    condition     = length(var.clusters) > 0 && alltrue([for k, c in var.clusters : can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.ContainerService/managedClusters/[^/]+$", c.id)) && can(regex("^[-\\w.()]{0,89}[-\\w()]$", c.resource_group_name))])
    error_message = "clusters: each needs an AKS cluster resource ID and its resource group name."
  }
}

variable "power_strategy" {
  type        = string
  description = "stop (AKS stop/start; only without NAP) or sleep (scale down the documented levers)."
  validation {
    condition     = contains(["stop", "sleep"], var.power_strategy)
    error_message = "stop or sleep."
  }
}

variable "stop_at" {
  type        = string
  description = "Local time of the nightly power-down (22:00)."
  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]$", var.stop_at))
    error_message = "HH:MM."
  }
}

variable "start_at" {
  type        = string
  description = "Local time of the morning power-up (09:00)."
  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]$", var.start_at))
    error_message = "HH:MM."
  }
}

variable "time_zone" {
  type        = string
  description = "IANA time zone of the schedule."
  default     = "Asia/Seoul"
  validation {
    condition     = contains(["Asia/Seoul", "Etc/UTC"], var.time_zone)
    error_message = "time_zone must be Asia/Seoul or Etc/UTC (the schedule offsets in main.tf know these two)."
  }
}

variable "week_days" {
  type        = list(string)
  description = "Days the schedule runs (weekends stay down: start only on these days)."
  default     = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
  validation {
    condition     = length(var.week_days) > 0 && alltrue([for d in var.week_days : contains(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"], d)])
    error_message = "week_days must be day names, Monday..Sunday."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
