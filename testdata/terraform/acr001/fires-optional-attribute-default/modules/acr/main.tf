variable "settings" {
  type = object({
    sku   = string
    admin = optional(bool, true)
  })
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = var.settings.sku
  admin_enabled       = var.settings.admin
}
