variable "resource_id" {
  type = string
}

resource "azurerm_monitor_diagnostic_setting" "this" {
  name                       = "audit"
  target_resource_id         = var.resource_id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-audit"

  enabled_log {
    category_group = "audit"
  }
}
