terraform {
  required_version = ">= 1.11.0"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 5.2"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
  }
  # This configuration's own state stays local (it creates the place remote state lives): keep
  # infra/bootstrap/terraform.tfstate, or import the three resources again if it is lost.
}

provider "azurerm" {
  subscription_id = var.subscription_id
  # Data-plane calls (the container) with Entra ID: the account allows no shared keys.
  storage_use_azuread             = true
  resource_provider_registrations = "none"
  resource_providers_to_register  = ["Microsoft.Storage"]
  features {}
}
