variable "name" {}

variable "admin_enabled" {
  default = false
}

resource "azurerm_container_registry" "acr" {
  name                = var.name
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = var.admin_enabled
}
