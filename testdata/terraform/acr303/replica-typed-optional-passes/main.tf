variable "georeplications" {
  type = list(object({
    location                = string
    zone_redundancy_enabled = optional(bool, true)
  }))
  default = [{ location = "northeurope" }]
}

resource "azurerm_container_registry" "acr" {
  name                    = "contosoregistry"
  resource_group_name     = "rg-registry"
  location                = "westeurope"
  sku                     = "Premium"
  zone_redundancy_enabled = true

  dynamic "georeplications" {
    for_each = var.georeplications
    content {
      location                = georeplications.value.location
      zone_redundancy_enabled = georeplications.value.zone_redundancy_enabled
    }
  }
}
