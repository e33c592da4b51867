variable "allowed_ranges" {
  type    = list(string)
  default = []
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoregistry"
  resource_group_name           = "rg-registry"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = true

  network_rule_set {
    default_action = "Deny"

    dynamic "ip_rule" {
      for_each = var.allowed_ranges
      content {
        action   = "Allow"
        ip_range = ip_rule.value
      }
    }
  }
}
