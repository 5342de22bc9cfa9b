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
  description = "mgmt resource group."
}

variable "hosting" {
  type        = string
  description = "app_service or jump_vm."
  validation {
    condition     = contains(["app_service", "jump_vm"], var.hosting)
    error_message = "app_service or jump_vm."
  }
}

variable "subscription_id" {
  type        = string
  description = "Subscription the dashboard reads (cost, budgets)."
}

variable "tenant_id" {
  type        = string
  description = "Entra tenant for sign-in."
}

variable "appsvc_subnet_id" {
  type        = string
  description = "Delegated subnet in the mgmt VNet (reaches the private API servers)."
}

variable "jump_vm_principal_id" {
  type        = string
  description = "Jump VM system identity (jump_vm hosting)."
}

variable "cluster_ids" {
  type        = map(string)
  description = "AKS cluster IDs."
}

variable "resource_group_ids" {
  type        = map(string)
  description = "Resource group IDs (common, mgmt, app1, app2)."
}

variable "backup_vault_id" {
  type        = string
  description = "Backup vault the backup page reads."
}

variable "app_service_sku" {
  type        = string
  description = "App Service plan SKU (B1 is enough for one presenter)."
  default     = "B1"
  validation {
    condition     = contains(["B1", "B2", "P0v3", "P1v3"], var.app_service_sku)
    error_message = "B1, B2, P0v3 or P1v3 (VNet integration needs Basic or higher)."
  }
}

variable "node_version" {
  type        = string
  description = "Node LTS on App Service (Node 20 is past end of life)."
  default     = "22-lts"
  validation {
    condition     = contains(["22-lts", "24-lts"], var.node_version)
    error_message = "22-lts or 24-lts."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
