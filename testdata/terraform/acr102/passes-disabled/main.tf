resource "azurerm_container_registry" "acr" {
  name                          = "contosoregistry"
  resource_group_name           = "rg-registry"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false

  network_rule_set {
    default_action = "Deny"
  }
}
