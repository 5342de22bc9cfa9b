# The dashboard's sign-in: an Entra app registration with the three roles the product checks
# (lib/auth/roles.ts; a test keeps the values equal), signed in by the app itself (OpenID Connect,
# /auth/callback) on both hosts. App Service Authentication is not used: the Jump VM has no such
# front door, and one sign-in path keeps the session, roles and sign-out the same everywhere.
resource "random_uuid" "role" {
  for_each = toset(["Reader", "Operator", "Admin"])
}

resource "azuread_application" "dashboard" {
  display_name     = "aks-demo-control-plane"
  sign_in_audience = "AzureADMyOrg"

  dynamic "app_role" {
    for_each = {
      Reader   = "Sees topology, cost, backups, contract."
      Operator = "Powers the environment down and up, runs the add-on installer."
      Admin    = "Runs tofu apply/destroy, edits schedules and budgets."
    }
    content {
      allowed_member_types = ["User"]
      description          = app_role.value
      display_name         = app_role.key
      value                = app_role.key
      enabled              = true
      id                   = random_uuid.role[app_role.key].result
    }
  }

  web {
    # The app's callback (app/auth/callback). Jump VM: the browser reaches it through the Bastion
    # tunnel on localhost, which Entra accepts over http.
    redirect_uris = local.app_service ? ["https://${local.app_name}.azurewebsites.net/auth/callback"] : ["http://localhost:${var.jump_vm_port}/auth/callback"]
  }

  required_resource_access {
    resource_app_id = "00000003-0000-0000-c000-000000000000" # Microsoft Graph
    resource_access {
      id   = "e1fe6dd8-ba31-4d61-89e7-88639da4683d" # User.Read
      type = "Scope"
    }
  }
}

resource "azuread_service_principal" "dashboard" {
  client_id                    = azuread_application.dashboard.client_id
  app_role_assignment_required = true # only users given a role can sign in
}

# The app's client credential without a secret: the app presents a token of its user-assigned
# managed identity (AUTH_FEDERATED_MI_CLIENT_ID), which this federated credential trusts.
# https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
resource "azuread_application_federated_identity_credential" "managed_identity" {
  application_id = azuread_application.dashboard.id
  display_name   = "dashboard-managed-identity"
  description    = "The dashboard's user-assigned managed identity signs the app in (no client secret)."
  audiences      = ["api://AzureADTokenExchange"]
  issuer         = "https://login.microsoftonline.com/${var.tenant_id}/v2.0"
  subject        = azurerm_user_assigned_identity.dashboard.principal_id
}
