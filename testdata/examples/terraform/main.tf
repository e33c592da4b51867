terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
}

# Demo input: admin user on, no managed identity, reachable from any network.
resource "azurerm_container_registry" "acr" {
  name                          = "acrexample001"
  resource_group_name           = "rg-demo"
  location                      = "westeurope"
  sku                           = "Premium"
  admin_enabled                 = true
  public_network_access_enabled = true
}
