resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = true
}

output "admin_username" {
  value = azurerm_container_registry.acr.admin_username
}
