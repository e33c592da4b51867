variable "registry_name" {
  type = string
}

resource "azurerm_container_registry" "acr" {
  name                = var.registry_name
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}
