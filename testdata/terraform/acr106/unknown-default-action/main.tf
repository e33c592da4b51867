variable "default_action" {
  type = string
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"

  network_rule_set {
    default_action = var.default_action
  }
}
