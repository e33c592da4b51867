variable "registry_password" {
  type      = string
  sensitive = true
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

output "registry_password" {
  value     = var.registry_password
  sensitive = true
}
