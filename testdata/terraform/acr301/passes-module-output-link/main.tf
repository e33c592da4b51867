module "registry" {
  source = "./modules/acr"
}

# The registry is declared in the module; its id reaches the root through a module output.
resource "azurerm_monitor_diagnostic_setting" "registry" {
  name                       = "registry-audit"
  target_resource_id         = module.registry.registry_id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-audit"

  enabled_log {
    category_group = "audit"
  }
}
