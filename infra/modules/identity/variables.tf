variable "location" {
  type        = string
  description = "Azure region."
  validation {
    condition     = can(regex("^[a-z][a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name in lower case without spaces, e.g. koreacentral."
  }
}

variable "clusters" {
  type        = map(object({ resource_group_name = string, vnet_id = string }))
  description = "Clusters by name with their resource group and VNet."
  validation {
    condition     = length(var.clusters) > 0 && alltrue([for k, c in var.clusters : can(regex("^[a-z][a-z0-9]{1,10}$", k)) && can(regex("^[-\\w.()]{0,89}[-\\w()]$", c.resource_group_name)) && can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.Network/virtualNetworks/[^/]+$", c.vnet_id))])
    error_message = "clusters: short lower-case keys, each with a resource group name and a virtual network resource ID."
  }
}

variable "aks_private_dns_zone_id" {
  type        = string
  description = "Shared private DNS zone; control planes need Private DNS Zone Contributor on it."
  validation {
    condition     = can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.Network/privateDnsZones/[^/]+$", var.aks_private_dns_zone_id))
    error_message = "aks_private_dns_zone_id must be a private DNS zone resource ID."
  }
}

variable "acr_id" {
  type        = string
  description = "ACR; kubelets get AcrPull."
  validation {
    condition     = can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.ContainerRegistry/registries/[^/]+$", var.acr_id))
    error_message = "acr_id must be a container registry resource ID."
  }
}

variable "dns_zone_id" {
  type        = string
  description = "Public DNS zone; cert-manager gets DNS Zone Contributor."
  validation {
    condition     = can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.Network/dnsZones/[^/]+$", var.dns_zone_id))
    error_message = "dns_zone_id must be a public DNS zone resource ID."
  }
}

variable "key_vault_id" {
  type        = string
  description = "Key Vault; ESO pushes certificates, cert-manager reads."
  validation {
    condition     = can(regex("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft.KeyVault/vaults/[^/]+$", var.key_vault_id))
    error_message = "key_vault_id must be a Key Vault resource ID."
  }
}

variable "oidc_issuer_urls" {
  type        = map(string)
  description = "OIDC issuer per cluster, for the federated credentials."
  validation {
    condition     = alltrue([for u in values(var.oidc_issuer_urls) : startswith(u, "https://")])
    error_message = "oidc_issuer_urls must be https:// issuer URLs."
  }
}

variable "common_resource_group_name" {
  type        = string
  description = "Where the workload identities live."
  validation {
    condition     = can(regex("^[-\\w.()]{0,89}[-\\w()]$", var.common_resource_group_name))
    error_message = "common_resource_group_name must be 1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period."
  }
}

variable "cert_manager_cluster" {
  type        = string
  description = "The cluster running cert-manager (mgmt only)."
  default     = "mgmt"
  validation {
    condition     = contains(keys(var.clusters), var.cert_manager_cluster)
    error_message = "cert_manager_cluster must be one of the clusters."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
