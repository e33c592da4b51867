locals {
  allowed_ranges = ["10.0.0.0/8", "0.0.0.0/0"]
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"

  dynamic "network_rule_set" {
    for_each = [1]
    content {
      default_action = "Deny"

      dynamic "ip_rule" {
        for_each = local.allowed_ranges
        iterator = range
        content {
          action   = "Allow"
          ip_range = range.value
        }
      }
    }
  }
}
