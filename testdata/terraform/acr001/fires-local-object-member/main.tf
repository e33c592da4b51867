locals {
  registry = {
    sku           = "Premium"
    admin_enabled = true
  }
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = local.registry.sku
  admin_enabled       = local.registry["admin_enabled"]
}
