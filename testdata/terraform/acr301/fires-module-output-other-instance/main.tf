module "registry" {
  count  = 2
  source = "./modules/acr"
}

# Only the second instance of the module has its audit logs collected.
resource "azurerm_monitor_diagnostic_setting" "registry" {
  name                       = "registry-audit"
  target_resource_id         = module.registry[1].registry_id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-audit"

  enabled_log {
    category_group = "audit"
  }
}
