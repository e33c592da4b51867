variable "registries" {
  type = map(object({
    sku   = string
    admin = optional(bool, false)
  }))
  default = {
    dev  = { sku = "Standard", admin = true }
    prod = { sku = "Premium" }
  }
}

resource "azurerm_container_registry" "acr" {
  for_each            = var.registries
  name                = "contoso${each.key}"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = each.value.sku
  admin_enabled       = each.value.admin
}
