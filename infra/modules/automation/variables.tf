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

variable "clusters" {
  type        = map(object({ id = string, name = string, resource_group_name = string }))
  description = "Clusters to power down and up."
}

variable "power_strategy" {
  type        = string
  description = "stop (AKS stop/start; only without NAP, E1) or sleep (scale down the documented levers)."
  validation {
    condition     = contains(["stop", "sleep"], var.power_strategy)
    error_message = "stop or sleep."
  }
}

variable "stop_at" {
  type        = string
  description = "Local time of the nightly power-down (§11.3: 22:00)."
  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]$", var.stop_at))
    error_message = "HH:MM."
  }
}

variable "start_at" {
  type        = string
  description = "Local time of the morning power-up (§11.3: 09:00)."
  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]$", var.start_at))
    error_message = "HH:MM."
  }
}

variable "time_zone" {
  type        = string
  description = "IANA time zone of the schedule."
  default     = "Asia/Seoul"
}

variable "week_days" {
  type        = list(string)
  description = "Days the schedule runs (weekends stay down: start only on these days)."
  default     = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
