resource "azurerm_container_registry" "with_identity" {
  name                = "acrwithid001"
  resource_group_name = "rg-demo"
  location            = "westeurope"
  sku                 = "Premium"

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_container_registry" "without_identity" {
  name                = "acrnoid001"
  resource_group_name = "rg-demo"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = false
}
