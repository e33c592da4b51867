variable "settings" {
  type = map(bool)
  default = {
    admin = true
  }
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = lookup(var.settings, "admin", false)
}
