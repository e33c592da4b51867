resource "azurerm_container_registry" "acr" {
  name                       = "contosoregistry"
  resource_group_name        = "rg-registry"
  location                   = "westeurope"
  sku                        = "Premium"
  network_rule_bypass_option = "AzureServices"

  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-registry/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-cmk"]
  }

  network_rule_set {
    default_action = "Deny"

    ip_rule {
      action   = "Allow"
      ip_range = "203.0.113.0/24"
    }
  }
}
