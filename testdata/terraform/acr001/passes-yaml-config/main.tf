locals {
  config = yamldecode(file("${path.module}/config.yaml"))
}

resource "azurerm_container_registry" "acr" {
  name                = local.config.registry.name
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = local.config.registry.sku
  admin_enabled       = local.config.registry.admin_enabled
}
