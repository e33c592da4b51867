variable "registry" {
  type = object({
    sku = string
    network = optional(object({
      admin = optional(bool, true)
    }), {})
  })
  default = {
    sku = "Premium"
  }
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = var.registry.sku
  admin_enabled       = var.registry.network.admin
}
