resource "azurerm_container_registry" "good" {
  name                = "acrgood001"
  resource_group_name = "rg-demo"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = false
}

resource "azurerm_container_registry" "bad" {
  name                = "acrbad001"
  resource_group_name = "rg-demo"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = true
}
