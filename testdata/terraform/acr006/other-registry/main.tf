resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_container_registry_scope_map" "pull" {
  name                    = "pullapp"
  container_registry_name = "otherregistry"
  resource_group_name     = "rg-registry"
  actions = [
    "repositories/*/content/delete",
  ]
}
