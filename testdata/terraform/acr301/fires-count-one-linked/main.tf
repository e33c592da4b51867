resource "azurerm_container_registry" "acr" {
  count               = 2
  name                = "contosoregistry${count.index}"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_monitor_diagnostic_setting" "audit" {
  name                       = "registry-audit"
  target_resource_id         = azurerm_container_registry.acr[0].id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-monitor/providers/Microsoft.OperationalInsights/workspaces/law-audit"

  enabled_log {
    category_group = "audit"
  }
}
