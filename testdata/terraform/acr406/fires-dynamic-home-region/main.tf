variable "replicas" {
  default = {
    a = { location = "westeurope", zone_redundant = true }
    b = { location = "northeurope", zone_redundant = true }
  }
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"

  dynamic "georeplications" {
    for_each = var.replicas
    content {
      location                = georeplications.value.location
      zone_redundancy_enabled = georeplications.value.zone_redundant
    }
  }
}
