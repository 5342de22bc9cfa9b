# Workload identity federation for cert-manager (mgmt) and External Secrets (every cluster).
resource "azurerm_user_assigned_identity" "cert_manager" {
  name                = "id-cert-manager"
  location            = var.location
  resource_group_name = var.common_resource_group_name
  tags                = var.tags
}

# azurerm 5.0 replaced parent_id + resource_group_name with user_assigned_identity_id (5.0 upgrade guide).
resource "azurerm_federated_identity_credential" "cert_manager" {
  name                      = "fic-cert-manager-${var.cert_manager_cluster}"
  user_assigned_identity_id = azurerm_user_assigned_identity.cert_manager.id
  audience                  = ["api://AzureADTokenExchange"]
  issuer                    = var.oidc_issuer_urls[var.cert_manager_cluster]
  subject                   = "system:serviceaccount:cert-manager:cert-manager"
}

resource "azurerm_role_assignment" "cert_manager_dns" {
  scope                = var.dns_zone_id
  role_definition_name = "DNS Zone Contributor" # DNS-01
  principal_id         = azurerm_user_assigned_identity.cert_manager.principal_id
}

resource "azurerm_user_assigned_identity" "external_secrets" {
  for_each            = var.clusters
  name                = "id-eso-${each.key}"
  location            = var.location
  resource_group_name = var.common_resource_group_name
  tags                = var.tags
}

resource "azurerm_federated_identity_credential" "external_secrets" {
  for_each                  = var.clusters
  name                      = "fic-eso-${each.key}"
  user_assigned_identity_id = azurerm_user_assigned_identity.external_secrets[each.key].id
  audience                  = ["api://AzureADTokenExchange"]
  issuer                    = var.oidc_issuer_urls[each.key]
  subject                   = "system:serviceaccount:external-secrets:external-secrets"
}

# PushSecret writes the certificate into Key Vault; CSI/ESO read it back.
resource "azurerm_role_assignment" "external_secrets_kv" {
  for_each             = var.clusters
  scope                = var.key_vault_id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = azurerm_user_assigned_identity.external_secrets[each.key].principal_id
}

# Key Vault CSI driver reads with the kubelet identity.
resource "azurerm_role_assignment" "kubelet_kv" {
  for_each             = var.clusters
  scope                = var.key_vault_id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.kubelet[each.key].principal_id
}
