variable "registries" {
  type = number
}

resource "azurerm_container_registry" "acr" {
  count               = var.registries
  name                = "contosoregistry${count.index}"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = count.index == 0
}
