variable "export_enabled" {
  type = bool
}

resource "azurerm_container_registry" "acr" {
  name                  = "contosoregistry"
  resource_group_name   = "rg-registry"
  location              = "westeurope"
  sku                   = "Premium"
  export_policy_enabled = var.export_enabled
}
