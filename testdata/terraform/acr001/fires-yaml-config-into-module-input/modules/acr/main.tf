variable "settings" {
  type = object({
    name          = string
    sku           = string
    admin_enabled = bool
  })
}

resource "azurerm_container_registry" "acr" {
  name                          = var.settings.name
  resource_group_name           = "rg-shared"
  location                      = "westeurope"
  sku                           = var.settings.sku
  admin_enabled                 = var.settings.admin_enabled
}
