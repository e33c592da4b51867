locals {
  environments = toset(["dev", "prod"])
}

resource "azurerm_container_registry" "acr" {
  for_each            = local.environments
  name                = "contoso${each.key}"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_monitor_diagnostic_setting" "audit" {
  for_each                   = local.environments
  name                       = "registry-audit-${each.key}"
  target_resource_id         = azurerm_container_registry.acr[each.key].id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-monitor/providers/Microsoft.OperationalInsights/workspaces/law-audit"

  enabled_log {
    category_group = "audit"
  }
}
