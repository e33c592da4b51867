variable "environment" {
  default = "dev"
}

locals {
  is_dev   = var.environment == "dev"
  settings = merge({ admin = false }, local.is_dev ? { admin = true } : {})
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = local.settings.admin
}
