resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Standard"
}

# The diagnostic setting is made by a module that receives the registry's id as an input.
module "diagnostics" {
  source      = "./modules/diagnostics"
  resource_id = azurerm_container_registry.acr.id
}
