resource "azurerm_container_registry" "acr" {
  name                                  = "contosoregistry"
  resource_group_name                   = "rg-registry"
  location                              = "westeurope"
  sku                                   = "Premium"
  network_rule_bypass_for_tasks_enabled = true
}
