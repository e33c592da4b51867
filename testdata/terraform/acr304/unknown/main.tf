variable "lock_level" {
  type = string
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_management_lock" "registry" {
  name       = "registry-nodelete"
  scope      = azurerm_container_registry.acr.id
  lock_level = var.lock_level
  notes      = "Protects the registry from deletion"
}
