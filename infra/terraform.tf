terraform {
  # OpenTofu checks this against its own version (OpenTofu 1.11).
  required_version = ">= 1.11.0"

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
