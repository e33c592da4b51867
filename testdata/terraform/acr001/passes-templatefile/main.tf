variable "environment" {
  default = "dev"
}

locals {
  registry = yamldecode(templatefile("${path.module}/registry.yaml.tftpl", {
    environment = var.environment
    admin       = var.environment == "prod"
  }))
}

resource "azurerm_container_registry" "acr" {
  name                = local.registry.name
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = local.registry.sku
  admin_enabled       = local.registry.admin_enabled
}
