variable "names" {
  default = ["contoso-dev", "contosoprod"]
}

resource "azurerm_container_registry" "acr" {
  for_each            = toset(var.names)
  name                = each.value
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}
