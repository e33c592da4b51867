variable "public_network_access_enabled" {
  description = "Allow access from public networks"
  type        = bool
}

resource "azurerm_container_registry" "acr" {
  name                          = "acrdemo001"
  resource_group_name           = "rg-demo"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = var.public_network_access_enabled

  network_rule_set {
    default_action = "Deny"
  }
}
