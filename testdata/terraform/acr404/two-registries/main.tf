resource "azurerm_container_registry" "signed" {
  name                 = "acrsigned001"
  resource_group_name  = "rg-demo"
  location             = "westeurope"
  sku                  = "Premium"
  trust_policy_enabled = true
}

resource "azurerm_container_registry" "plain" {
  name                = "acrplain001"
  resource_group_name = "rg-demo"
  location            = "westeurope"
  sku                 = "Premium"
}
