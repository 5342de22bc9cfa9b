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
  description = "mgmt resource group (§4.5)."
}

variable "bastion_sku" {
  type        = string
  description = "Basic (browser SSH only) or Standard (native client, tunnels; E14)."
  validation {
    condition     = contains(["Basic", "Standard"], var.bastion_sku)
    error_message = "Basic or Standard."
  }
}

variable "bastion_subnet_id" {
  type        = string
  description = "AzureBastionSubnet."
}

variable "jump_subnet_id" {
  type        = string
  description = "Jump VM subnet."
}

variable "jump_vm_size" {
  type        = string
  description = "§5.7: Standard_B2s."
  default     = "Standard_B2s"
}

variable "admin_username" {
  type        = string
  description = "Admin user."
}

variable "ssh_public_key" {
  type        = string
  description = "OpenSSH public key (no password login)."
}

variable "custom_data" {
  type        = string
  description = "cloud-init (base64) from modules/dashboard when the dashboard runs on the Jump VM; empty otherwise."
  default     = ""
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
