resource "azurerm_container_registry" "acr" {
  name                = "acr01"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_container_registry" "long" {
  name                = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}
