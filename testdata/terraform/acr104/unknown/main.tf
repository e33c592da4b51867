variable "network_rule_bypass_option" {
  description = "Let trusted Azure services bypass the firewall"
  type        = string
}

resource "azurerm_container_registry" "acr" {
  name                       = "acrdemo001"
  resource_group_name        = "rg-demo"
  location                   = "westeurope"
  sku                        = "Premium"
  network_rule_bypass_option = var.network_rule_bypass_option

  network_rule_set {
    default_action = "Deny"
  }
}
