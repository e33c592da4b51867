module "flag" {
  source  = "./modules/flag"
  count   = 2
  enabled = count.index == 1
}

module "env" {
  source   = "./modules/flag"
  for_each = toset(["dev", "prod"])
  enabled  = each.key == "dev"
}

resource "azurerm_container_registry" "first" {
  name                = "contosoacr001"
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = module.flag[0].enabled
}

resource "azurerm_container_registry" "second" {
  name                = "contosoacr002"
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = module.flag[1].enabled
}

resource "azurerm_container_registry" "dev" {
  name                = "contosoacr003"
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = module.env["dev"].enabled
}

resource "azurerm_container_registry" "prod" {
  name                = "contosoacr004"
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = module.env["prod"].enabled
}
