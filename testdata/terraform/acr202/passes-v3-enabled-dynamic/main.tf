variable "retention_days" {
  default = 7
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"

  dynamic "retention_policy" {
    for_each = var.retention_days > 0 ? [var.retention_days] : []
    content {
      days    = retention_policy.value
      enabled = true
    }
  }
}
