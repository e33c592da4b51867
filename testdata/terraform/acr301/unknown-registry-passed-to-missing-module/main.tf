resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Standard"
}

# The module is not in the scanned files: it may well create the diagnostic setting.
module "diagnostics" {
  source      = "../../diagnostics"
  resource_id = azurerm_container_registry.acr.id
}
