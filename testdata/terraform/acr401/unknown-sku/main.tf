variable "sku" {
  type = string
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoregistry"
  resource_group_name           = "rg-registry"
  location                      = "westeurope"
  sku                           = var.sku
  public_network_access_enabled = false
  zone_redundancy_enabled       = true
}
