variable "default_action" {
  description = "Firewall default action"
  type        = string
}

resource "azurerm_container_registry" "acr" {
  name                          = "acrdemo001"
  resource_group_name           = "rg-demo"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = true

  network_rule_set {
    default_action = var.default_action
  }
}
