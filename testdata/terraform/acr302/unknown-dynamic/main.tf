variable "replica_locations" {
  type = list(string)
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"

  dynamic "georeplications" {
    for_each = var.replica_locations
    content {
      location = georeplications.value
    }
  }
}
