resource "azurerm_container_registry" "acr" {
  name                = "acr1"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}
