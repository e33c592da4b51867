variable "sku" {
  description = "Registry SKU"
  type        = string
}

resource "azurerm_container_registry" "acr" {
  name                   = "acrdemo001"
  resource_group_name    = "rg-demo"
  location               = "westeurope"
  sku                    = var.sku
  anonymous_pull_enabled = true
}
