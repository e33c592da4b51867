variable "sku" {
  description = "Registry SKU"
  type        = string
}

resource "azurerm_container_registry" "acr" {
  name                          = "acrdemo001"
  resource_group_name           = "rg-demo"
  location                      = "westeurope"
  sku                           = var.sku
  public_network_access_enabled = false
  network_rule_bypass_option    = "None"
}
