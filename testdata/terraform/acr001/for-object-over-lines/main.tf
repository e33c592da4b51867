locals {
  enabled = true
  names   = ["contosoregistry"]
  settings = {
    admin = {
      for name in local.names :
      name =>
      local.enabled &&
      contains(local.names, name)
    }
  }
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = local.settings.admin["contosoregistry"]
}
