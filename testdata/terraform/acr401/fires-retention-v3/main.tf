resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Standard"

  retention_policy {
    days    = 7
    enabled = true
  }
}
