variable "name" {
  type = string
}

variable "admin" {
  type = bool
}

resource "azurerm_container_registry" "acr" {
  name                = var.name
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = var.admin
}
