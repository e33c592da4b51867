variable "name" {}

resource "azurerm_container_registry" "acr" {
  name                = var.name
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}
