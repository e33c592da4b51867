resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Standard"
}

# The module sets up diagnostics for another resource, not the registry.
module "diagnostics" {
  source      = "./modules/diagnostics"
  resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.Web/sites/app"
}
