variable "name" {
  type = string
}

locals {
  settings = yamldecode(file("${path.module}/settings.yaml"))
}

resource "azurerm_container_registry" "acr" {
  name                = var.name
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = local.settings.sku
  admin_enabled       = local.settings.admin_enabled
}
