locals {
  settings = jsondecode(file("${path.module}/settings.json"))
}

resource "azurerm_container_registry" "acr" {
  name                = local.settings.registry.name
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = local.settings.registry.sku
  admin_enabled       = local.settings.registry.admin_enabled
}
