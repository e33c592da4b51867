variable "zone_redundancy" {
  type = bool
}

resource "azurerm_container_registry" "acr" {
  name                    = "contosoregistry"
  resource_group_name     = "rg-registry"
  location                = "westeurope"
  sku                     = "Premium"
  zone_redundancy_enabled = var.zone_redundancy
}
