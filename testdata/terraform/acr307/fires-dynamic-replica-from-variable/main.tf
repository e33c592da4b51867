variable "replicas" {
  type = map(object({
    location = string
    zones    = optional(bool, false)
  }))
  default = {
    west = { location = "northeurope" }
    east = { location = "eastus", zones = true }
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
      zone_redundancy_enabled = georeplications.value.zones
    }
  }
}
