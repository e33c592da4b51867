resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "West Europe"
  sku                 = "Premium"

  georeplications {
    location = "North Europe"
  }
}
