locals {
  registry = yamldecode(file("${path.module}/config.yaml")).registry
}

resource "azurerm_container_registry" "direct" {
  name                = "contosoacr001"
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = yamldecode(file("${path.module}/config.yaml")).registry.admin_enabled
}

resource "azurerm_container_registry" "through_local" {
  name                = "contosoacr002"
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = local.registry.sku
  admin_enabled       = local.registry.admin_enabled
}
