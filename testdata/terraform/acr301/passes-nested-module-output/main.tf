module "platform" {
  source = "./modules/platform"
}

# The registry is declared in the module; its id reaches the root through two module outputs.
resource "azurerm_monitor_diagnostic_setting" "registry" {
  name                       = "registry-audit"
  target_resource_id         = module.platform.container_registry_id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-audit"

  enabled_log {
    category_group = "audit"
  }
}
