variable "prefix" {
  type        = string
  description = "Name prefix (k8s-demo)."
}

variable "location" {
  type        = string
  description = "Azure region."
}

variable "resource_group_name" {
  type        = string
  description = "Common resource group (§4.5: VNets, NSGs, DNS live there)."
}

variable "vnets" {
  type        = map(object({ cidr = string, nodes_cidr = string }))
  description = "One VNet per cluster (§4.4)."
  validation {
    condition     = alltrue([for v in values(var.vnets) : can(cidrhost(v.cidr, 0)) && can(cidrhost(v.nodes_cidr, 0))])
    error_message = "Every VNet needs valid cidr and nodes_cidr."
  }
  validation {
    condition     = length(var.vnets) >= 2
    error_message = "At least two VNets are needed for peering."
  }
}

variable "ingress_vnets" {
  type        = list(string)
  description = "Keys of the VNets whose cluster runs a public Istio ingress gateway; their node NSG admits TCP 80/443 from the Internet."
  default     = []
  validation {
    condition     = alltrue([for k in var.ingress_vnets : contains(keys(var.vnets), k)])
    error_message = "ingress_vnets must name keys of vnets."
  }
}

variable "bastion_subnet_cidr" {
  type        = string
  description = "AzureBastionSubnet in the mgmt VNet (§5.7: /26 or larger)."
  validation {
    condition     = tonumber(split("/", var.bastion_subnet_cidr)[1]) <= 26
    error_message = "AzureBastionSubnet must be /26 or larger."
  }
}

variable "jump_subnet_cidr" {
  type        = string
  description = "Jump VM subnet in the mgmt VNet."
}

variable "endpoints_subnet_cidr" {
  type        = string
  description = "Private endpoints subnet in the mgmt VNet."
}

variable "appsvc_subnet_cidr" {
  type        = string
  description = "App Service VNet integration subnet in the mgmt VNet (dashboard)."
}

variable "aks_private_dns_zone" {
  type        = string
  description = "Shared private DNS zone for the three private API servers (§5.6)."
  validation {
    condition     = can(regex("^privatelink\\.[a-z0-9]+\\.azmk8s\\.io$", var.aks_private_dns_zone))
    error_message = "Must be privatelink.<region>.azmk8s.io (AKS accepts only this form for a custom zone)."
  }
}

variable "dns_zone_name" {
  type        = string
  description = "Public DNS zone for cert-manager DNS-01 (§5.8, §7.3)."
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Workspace resource ID for traffic analytics."
}

variable "log_analytics_workspace_guid" {
  type        = string
  description = "Workspace (customer) ID for traffic analytics."
}

variable "create_network_watcher" {
  type        = bool
  description = "Create the region's Network Watcher (only where the subscription opted out of Azure creating NetworkWatcher_<region> in NetworkWatcherRG); false reads Azure's."
  default     = false
}

variable "flow_log_retention_days" {
  type        = number
  description = "Days to keep VNet flow logs in storage (billed per GB, E10)."
  default     = 7
  validation {
    condition     = var.flow_log_retention_days >= 1 && var.flow_log_retention_days <= 365
    error_message = "1..365 days."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
