resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_container_registry_scope_map" "pull" {
  name                    = "pull.app"
  container_registry_name = azurerm_container_registry.acr.name
  resource_group_name     = "rg-registry"
  actions                 = ["repositories/app/content/read"]
}
