variable "quarantine" {
  type = bool
}

resource "azurerm_container_registry" "acr" {
  name                      = "contosoregistry"
  resource_group_name       = "rg-registry"
  location                  = "westeurope"
  sku                       = "Premium"
  quarantine_policy_enabled = var.quarantine
}
