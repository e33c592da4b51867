module "sizing" {
  source = "./modules/sizing"
}

module "naming" {
  source = "./modules/naming"
  sku    = module.sizing.sku
}

resource "azurerm_container_registry" "acr" {
  name                   = "contosoacr001"
  resource_group_name    = "rg-shared"
  location               = "westeurope"
  sku                    = module.naming.sku
  anonymous_pull_enabled = true
}
