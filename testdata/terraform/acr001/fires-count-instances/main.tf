resource "azurerm_container_registry" "acr" {
  count               = 2
  name                = "contosoregistry${count.index}"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = true
}
