variable "list" {
  default = [
    { name = "contosolist1", admin = true },
    { name = "contosolist2", admin = false },
  ]
}

resource "azurerm_container_registry" "from_list" {
  for_each            = { for r in var.list : r.name => r }
  name                = each.key
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = each.value.admin
}
