resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_role_assignment" "ci" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "Owner"
  principal_id         = "11111111-1111-1111-1111-111111111111"
}
