# The dashboard's sign-in: an Entra app registration with the three roles the product checks.
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
    redirect_uris = [
      "https://${local.app_name}.azurewebsites.net/.auth/login/aad/callback",
      "https://${local.app_name}.azurewebsites.net/api/auth/callback/microsoft-entra-id",
      "http://localhost:3000/api/auth/callback/microsoft-entra-id",
    ]
    implicit_grant {
      id_token_issuance_enabled = true
    }
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

resource "azuread_application_password" "dashboard" {
  application_id = azuread_application.dashboard.id
  display_name   = "dashboard"
  end_date       = timeadd(plantimestamp(), "4320h") # 180 days
  lifecycle {
    ignore_changes = [end_date]
  }
}
