resource "azurerm_container_registry" "acr" {
  name                          = "contosoregistry"
  resource_group_name           = "rg-registry"
  location                      = "westeurope"
  sku                           = "Standard"
  public_network_access_enabled = true
  zone_redundancy_enabled       = false
  quarantine_policy_enabled     = false
  data_endpoint_enabled         = false
  export_policy_enabled         = true
}
