variable "sku" {
  type    = string
  default = "Basic"
}

resource "azurerm_container_registry" "acr" {
  name                     = "contosoregistry"
  resource_group_name      = "rg-registry"
  location                 = "westeurope"
  sku                      = var.sku
  retention_policy_in_days = var.sku == "Premium" ? 7 : null
}
