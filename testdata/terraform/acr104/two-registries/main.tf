resource "azurerm_container_registry" "trusted" {
  name                       = "acrtrusted001"
  resource_group_name        = "rg-demo"
  location                   = "westeurope"
  sku                        = "Premium"
  network_rule_bypass_option = "AzureServices"

  network_rule_set {
    default_action = "Deny"
  }
}

resource "azurerm_container_registry" "blocked" {
  name                       = "acrblocked001"
  resource_group_name        = "rg-demo"
  location                   = "westeurope"
  sku                        = "Premium"
  network_rule_bypass_option = "None"

  network_rule_set {
    default_action = "Deny"
  }
}
