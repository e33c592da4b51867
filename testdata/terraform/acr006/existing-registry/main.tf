data "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
}

resource "azurerm_container_registry_scope_map" "pull" {
  name                    = "pullapp"
  container_registry_name = data.azurerm_container_registry.acr.name
  resource_group_name     = "rg-registry"
  actions = [
    "repositories/*/content/read",
  ]
}
