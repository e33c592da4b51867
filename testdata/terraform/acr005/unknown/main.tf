variable "password_expiry" {
  type = string
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Standard"
}

resource "azurerm_container_registry_token" "ci" {
  name                    = "cipull"
  container_registry_name = azurerm_container_registry.acr.name
  resource_group_name     = "rg-registry"
  scope_map_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-registry/providers/Microsoft.ContainerRegistry/registries/contosoregistry/scopeMaps/pullapp"
}

resource "azurerm_container_registry_token_password" "ci" {
  container_registry_token_id = azurerm_container_registry_token.ci.id

  password1 {
    expiry = var.password_expiry
  }
}
