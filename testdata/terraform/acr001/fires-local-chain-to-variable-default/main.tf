variable "settings" {
  type = object({
    admin   = bool
    regions = list(string)
  })
  default = {
    admin   = true
    regions = ["westeurope"]
  }
}

locals {
  registry = var.settings
  admin    = local.registry.admin
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = local.admin
}
