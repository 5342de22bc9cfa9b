variable "name" {
  type        = string
  description = "Globally unique registry name (§7.5)."
  validation {
    condition     = can(regex("^[a-zA-Z0-9]{5,50}$", var.name))
    error_message = "5-50 alphanumeric characters."
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

variable "sku" {
  type        = string
  description = "ADR-018: Basic (zone redundancy is automatic on every SKU)."
  default     = "Basic"
  validation {
    condition     = contains(["Basic", "Standard", "Premium"], var.sku)
    error_message = "Basic, Standard or Premium."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
