variable "registry" {
  type = object({
    sku   = string
    admin = bool
  })
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = var.registry.sku
  admin_enabled       = var.registry.admin
}
