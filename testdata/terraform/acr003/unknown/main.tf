variable "identity_type" {
  description = "Managed identity type"
  type        = string
}

resource "azurerm_container_registry" "acr" {
  name                = "acrdemo001"
  resource_group_name = "rg-demo"
  location            = "westeurope"
  sku                 = "Premium"

  identity {
    type = var.identity_type
  }
}
