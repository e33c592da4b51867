resource "azurerm_container_registry" "acr" {
  count               = length(var.admins)
  name                = "contosoregistry${count.index}"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = var.admins[count.index]
}
