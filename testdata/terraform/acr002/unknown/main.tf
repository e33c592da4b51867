variable "anonymous_pull_enabled" {
  description = "Allow unauthenticated pulls"
  type        = bool
}

resource "azurerm_container_registry" "acr" {
  name                   = "acrdemo001"
  resource_group_name    = "rg-demo"
  location               = "westeurope"
  sku                    = "Standard"
  anonymous_pull_enabled = var.anonymous_pull_enabled
}
