variable "registries" {
  default = {
    dev  = { enabled = true, admin = true }
    test = { enabled = false, admin = true }
    prod = { enabled = true, admin = false }
  }
}

resource "azurerm_container_registry" "acr" {
  for_each            = { for k, v in var.registries : k => v if v.enabled }
  name                = "contoso${each.key}"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = each.value.admin
}
