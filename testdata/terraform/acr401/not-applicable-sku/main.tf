resource "azurerm_container_registry" "acr" {
  name                          = "contosoregistry"
  resource_group_name           = "rg-registry"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  zone_redundancy_enabled       = true
  quarantine_policy_enabled     = true
  retention_policy_in_days      = 7
  data_endpoint_enabled         = true
  export_policy_enabled         = false

  network_rule_set {
    default_action = "Deny"
  }

  georeplications {
    location = "northeurope"
  }
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-contosoregistry"
  location            = "westeurope"
  resource_group_name = "rg-registry"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-endpoints"

  private_service_connection {
    name                           = "psc-contosoregistry"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}
