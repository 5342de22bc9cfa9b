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
  description = "mgmt resource group."
  validation {
    condition     = can(regex("^[-\\w.()]{0,89}[-\\w()]$", var.resource_group_name))
    error_message = "resource_group_name must be 1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period (Azure resource group naming rules)."
  }
}

variable "bastion_sku" {
  type        = string
  description = "Basic (browser SSH only) or Standard (native client, tunnels)."
  validation {
    condition     = contains(["Basic", "Standard"], var.bastion_sku)
    error_message = "Basic or Standard."
  }
}

variable "bastion_subnet_id" {
  type        = string
  description = "AzureBastionSubnet."
  validation {
    condition     = can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.Network/virtualNetworks/[^/]+/subnets/[^/]+$", var.bastion_subnet_id)) && endswith(var.bastion_subnet_id, "/subnets/AzureBastionSubnet")
    error_message = "bastion_subnet_id must be the ID of a subnet named AzureBastionSubnet (Azure requires that name)."
  }
}

variable "jump_subnet_id" {
  type        = string
  description = "Jump VM subnet."
  validation {
    condition     = can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.Network/virtualNetworks/[^/]+/subnets/[^/]+$", var.jump_subnet_id))
    error_message = "jump_subnet_id must be a subnet resource ID."
  }
}

variable "jump_vm_size" {
  type        = string
  description = "Jump VM size (Standard_B2s: enough for az, kubectl and the dashboard)."
  default     = "Standard_B2s"
  validation {
    condition     = can(regex("^Standard_[A-Za-z0-9_]+$", var.jump_vm_size))
    error_message = "jump_vm_size must be an Azure VM size such as Standard_B2s."
  }
}

variable "admin_username" {
  type        = string
  description = "Admin user."
  validation {
    condition     = can(regex("^[a-z_][a-z0-9_-]{0,31}$", var.admin_username)) && !contains(["admin", "administrator", "root", "guest", "user", "test", "sys", "owner", "support", "backup", "console", "server", "sql", "adm"], var.admin_username)
    error_message = "admin_username must be a Linux user name (lower case, up to 32 characters) that Azure does not reserve (admin, root, user, test, …)."
  }
}

variable "ssh_public_key" {
  type        = string
  description = "OpenSSH public key (no password login)."
  validation {
    condition     = can(regex("^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256) ", var.ssh_public_key))
    error_message = "ssh_public_key must be an OpenSSH public key."
  }
}

variable "custom_data" {
  type        = string
  description = "cloud-init (base64) from modules/dashboard when the dashboard runs on the Jump VM; empty otherwise."
  default     = ""
  validation {
    condition     = var.custom_data == "" || can(base64decode(var.custom_data))
    error_message = "custom_data must be empty or base64 (cloud-init)."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}

variable "user_assigned_identity_ids" {
  type        = list(string)
  description = "User-assigned identities to attach to the Jump VM (the dashboard's, when it is hosted there)."
  default     = []
  validation {
    condition     = alltrue([for id in var.user_assigned_identity_ids : can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.ManagedIdentity/userAssignedIdentities/[^/]+$", id))])
    error_message = "Each entry must be the resource ID of a user-assigned managed identity."
  }
}
