resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_management_lock" "registry" {
  name       = "registry-nodelete"
  scope      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-registry/providers/Microsoft.ContainerRegistry/registries/otherregistry"
  lock_level = "CanNotDelete"
  notes      = "Protects the registry from deletion"
}
