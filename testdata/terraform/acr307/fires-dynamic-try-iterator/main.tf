resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"

  dynamic "georeplications" {
    for_each = ["eastus"]
    content {
      location = try(georeplications.value, "northeurope")
    }
  }
}
