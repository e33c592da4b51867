resource "azurerm_container_registry" "open" {
  name                          = "acropen001"
  resource_group_name           = "rg-demo"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = true
}

resource "azurerm_container_registry" "closed" {
  name                          = "acrclosed001"
  resource_group_name           = "rg-demo"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}
