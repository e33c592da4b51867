locals {
  config = yamldecode(file("${path.module}/../fires-yaml-config/config.yaml"))
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoacr001"
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = local.config.registry.admin_enabled
}
