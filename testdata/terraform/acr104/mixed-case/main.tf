resource "azurerm_container_registry" "acr" {
  name                       = "acrdemo001"
  resource_group_name        = "rg-demo"
  location                   = "westeurope"
  sku                        = "Premium"
  network_rule_bypass_option = "none"

  network_rule_set {
    default_action = "deny"
  }
}
