variable "prefix" {
  type        = string
  description = "Name prefix (k8s-demo)."
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
  description = "Common resource group (VNets, NSGs, DNS live there)."
  validation {
    condition     = can(regex("^[-\\w.()]{0,89}[-\\w()]$", var.resource_group_name))
    error_message = "resource_group_name must be 1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period (Azure resource group naming rules)."
  }
}

variable "vnets" {
  type        = map(object({ cidr = string, nodes_cidr = string }))
  description = "One VNet per cluster."
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
  description = "AzureBastionSubnet in the mgmt VNet (/26 or larger)."
  validation {
    condition     = tonumber(split("/", var.bastion_subnet_cidr)[1]) <= 26
    error_message = "AzureBastionSubnet must be /26 or larger."
  }
}

variable "jump_subnet_cidr" {
  type        = string
  description = "Jump VM subnet in the mgmt VNet."
  validation {
    condition     = can(cidrhost(var.jump_subnet_cidr, 0)) && tonumber(split("/", var.jump_subnet_cidr)[1]) <= 29
    error_message = "jump_subnet_cidr must be an IPv4 CIDR of /29 or larger (Azure reserves five addresses per subnet)."
  }
}

variable "endpoints_subnet_cidr" {
  type        = string
  description = "Private endpoints subnet in the mgmt VNet."
  validation {
    condition     = can(cidrhost(var.endpoints_subnet_cidr, 0)) && tonumber(split("/", var.endpoints_subnet_cidr)[1]) <= 29
    error_message = "endpoints_subnet_cidr must be an IPv4 CIDR of /29 or larger."
  }
}

variable "appsvc_subnet_cidr" {
  type        = string
  description = "App Service VNet integration subnet in the mgmt VNet (dashboard)."
  validation {
    condition     = can(cidrhost(var.appsvc_subnet_cidr, 0)) && tonumber(split("/", var.appsvc_subnet_cidr)[1]) <= 28
    error_message = "appsvc_subnet_cidr must be an IPv4 CIDR of /28 or larger (App Service VNet integration needs at least /28)."
  }
}

variable "postgres_subnet_cidr" {
  type        = string
  description = "A subnet of the mgmt (hub) VNet delegated to PostgreSQL Flexible Server, for the dashboard's database when it is PostgreSQL (private access). Empty: none."
  default     = ""
  validation {
    condition     = var.postgres_subnet_cidr == "" || (can(cidrhost(var.postgres_subnet_cidr, 0)) && tonumber(split("/", var.postgres_subnet_cidr)[1]) <= 28)
    error_message = "postgres_subnet_cidr must be empty or an IPv4 CIDR of /28 or larger."
  }
}

variable "aks_private_dns_zone" {
  type        = string
  description = "Shared private DNS zone for the three private API servers."
  validation {
    condition     = can(regex("^privatelink\\.[a-z0-9]+\\.azmk8s\\.io$", var.aks_private_dns_zone))
    error_message = "Must be privatelink.<region>.azmk8s.io (AKS accepts only this form for a custom zone)."
  }
}

variable "dns_zone_name" {
  type        = string
  description = "Public DNS zone for cert-manager DNS-01."
  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,}$", var.dns_zone_name))
    error_message = "dns_zone_name must be a lower-case DNS name such as example.com."
  }
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Workspace resource ID for traffic analytics."
  validation {
    condition     = can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.OperationalInsights/workspaces/[^/]+$", var.log_analytics_workspace_id))
    error_message = "log_analytics_workspace_id must be a Log Analytics workspace resource ID."
  }
}

variable "log_analytics_workspace_guid" {
  type        = string
  description = "Workspace (customer) ID for traffic analytics."
  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.log_analytics_workspace_guid))
    error_message = "log_analytics_workspace_guid must be the workspace (customer) ID, a GUID."
  }
}

variable "create_network_watcher" {
  type        = bool
  description = "Create the region's Network Watcher (only where the subscription opted out of Azure creating NetworkWatcher_<region> in NetworkWatcherRG); false reads Azure's."
  default     = false
}

variable "flow_log_retention_days" {
  type        = number
  description = "Days to keep VNet flow logs in storage (billed per GB)."
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
