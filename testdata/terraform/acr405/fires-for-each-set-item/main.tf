resource "azurerm_container_registry" "acr" {
  for_each            = toset(["contoso-dev", "contosoprod"])
  name                = each.value
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}
