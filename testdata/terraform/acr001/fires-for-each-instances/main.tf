locals {
  registries = {
    dev  = { sku = "Standard", admin = true }
    prod = { sku = "Premium", admin = false }
  }
}

resource "azurerm_container_registry" "acr" {
  for_each            = local.registries
  name                = "contoso${each.key}"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = each.value.sku
  admin_enabled       = each.value.admin
}
