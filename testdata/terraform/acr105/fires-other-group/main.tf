resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-contosoregistry"
  location            = "westeurope"
  resource_group_name = "rg-registry"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-endpoints"

  private_service_connection {
    name                           = "psc-contosoregistry"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry_data_westeurope"]
    is_manual_connection           = false
  }
}
