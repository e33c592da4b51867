module "settings" {
  source = "./modules/settings"
  prefix = "contoso"
}

resource "azurerm_container_registry" "acr" {
  name                = module.settings.registry_name
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = module.settings.sku
  admin_enabled       = module.settings.admin
}
