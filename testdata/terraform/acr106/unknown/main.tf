variable "data_endpoint_enabled" {
  type = bool
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoregistry"
  resource_group_name           = "rg-registry"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  data_endpoint_enabled         = var.data_endpoint_enabled
}
