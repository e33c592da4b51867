variable "settings" {
  default = { sku = "Premium" }
}

locals {
  admin = try(var.settings.admin, true)
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = var.settings.sku
  admin_enabled       = local.admin
}
