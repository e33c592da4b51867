resource "azurerm_container_registry" "acr" {
  for_each            = toset(["prod", "test"])
  name                = "contoso${each.key}"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = each.key == "dev"
}
