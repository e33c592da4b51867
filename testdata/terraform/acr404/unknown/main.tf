variable "trust_policy_enabled" {
  description = "Enable Docker Content Trust"
  type        = bool
}

resource "azurerm_container_registry" "acr" {
  name                 = "acrdemo001"
  resource_group_name  = "rg-demo"
  location             = "westeurope"
  sku                  = "Premium"
  trust_policy_enabled = var.trust_policy_enabled
}
