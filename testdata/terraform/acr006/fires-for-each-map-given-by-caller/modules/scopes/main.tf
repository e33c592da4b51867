variable "scope_maps" {
  type = map(object({
    actions = list(string)
  }))
}

data "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
}

resource "azurerm_container_registry_scope_map" "this" {
  for_each                = var.scope_maps
  name                    = each.key
  container_registry_name = data.azurerm_container_registry.acr.name
  resource_group_name     = "rg-registry"
  actions                 = each.value.actions
}
