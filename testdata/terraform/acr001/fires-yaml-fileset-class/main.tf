locals {
  registries = {
    for name in fileset("${path.module}/registries", "[ad]*.yaml") :
    trimsuffix(name, ".yaml") => yamldecode(file("${path.module}/registries/${name}"))
  }
}

resource "azurerm_container_registry" "team" {
  for_each            = local.registries
  name                = each.value.name
  resource_group_name = "rg-shared"
  location            = "westeurope"
  sku                 = each.value.sku
  admin_enabled       = each.value.admin_enabled
}
