data "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
}

output "admin_password" {
  value = data.azurerm_container_registry.acr.admin_password
}
