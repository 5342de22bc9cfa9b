terraform {
  # OpenTofu checks this against its own version (OpenTofu 1.11).
  required_version = ">= 1.11.0"

  # Remote state (infra/bootstrap): values come from -backend-config=backend.hcl by hand, or from the
  # dashboard's TF_STATE_* settings for its jobs; Entra ID auth, the account has no access keys.
  backend "azurerm" {
    use_azuread_auth = true
  }

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 5.2" # node_provisioning_profile, Grafana 12, explicit RP registration
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
    azuread = {
      source  = "hashicorp/azuread"
      version = "~> 3.4" # dashboard sign-in app registration
    }
  }
}
