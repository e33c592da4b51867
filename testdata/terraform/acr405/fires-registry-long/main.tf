resource "azurerm_container_registry" "acr" {
  name                = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}
