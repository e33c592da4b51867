resource "azurerm_container_registry" "acr" {
  name                = "contoso-registry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}
