variable "create" {
  default = false
}

resource "azurerm_container_registry" "acr" {
  count               = var.create ? 1 : 0
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = true
}
