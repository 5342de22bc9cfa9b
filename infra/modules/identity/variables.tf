variable "location" {
  type        = string
  description = "Azure region."
}

variable "clusters" {
  type        = map(object({ resource_group_name = string, vnet_id = string }))
  description = "Clusters by name with their resource group and VNet."
}

variable "aks_private_dns_zone_id" {
  type        = string
  description = "Shared private DNS zone; control planes need Private DNS Zone Contributor on it."
}

variable "acr_id" {
  type        = string
  description = "ACR; kubelets get AcrPull (ADR-018)."
}

variable "dns_zone_id" {
  type        = string
  description = "Public DNS zone; cert-manager gets DNS Zone Contributor (§7.3)."
}

variable "key_vault_id" {
  type        = string
  description = "Key Vault; ESO pushes certificates (ADR-019), cert-manager reads."
}

variable "oidc_issuer_urls" {
  type        = map(string)
  description = "OIDC issuer per cluster, for the federated credentials."
}

variable "common_resource_group_name" {
  type        = string
  description = "Where the workload identities live."
}

variable "cert_manager_cluster" {
  type        = string
  description = "The cluster running cert-manager (§12.4 step 01: mgmt only)."
  default     = "mgmt"
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
