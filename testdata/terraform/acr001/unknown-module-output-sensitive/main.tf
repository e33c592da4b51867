module "settings" {
  source = "./modules/settings"
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoacr001"
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = module.settings.admin
}
