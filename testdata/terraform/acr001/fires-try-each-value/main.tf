variable "registries" {
  default = {
    dev  = { admin_enabled = true }
    prod = {}
  }
}

resource "azurerm_container_registry" "acr" {
  for_each            = var.registries
  name                = "contoso${each.key}"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = try(each.value.admin_enabled, false)
}
