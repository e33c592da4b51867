variable "environment" {
  type    = string
  default = "dev"
}

locals {
  settings = {
    dev  = { admin = true }
    prod = { admin = false }
  }
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = local.settings[var.environment].admin
}
