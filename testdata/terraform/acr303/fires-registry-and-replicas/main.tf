resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"

  georeplications {
    location = "northeurope"
  }

  georeplications {
    location                = "francecentral"
    zone_redundancy_enabled = false
  }
}
