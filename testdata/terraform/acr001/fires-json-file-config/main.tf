locals {
  settings = jsondecode(file("settings/registry.json"))
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoacr001"
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = fileexists("${path.module}/settings/registry.json") && local.settings.admin
}
