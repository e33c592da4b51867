resource "azurerm_container_registry" "acr" {
  name                                        = "contosoregistry"
  resource_group_name                         = "rg-registry"
  location                                    = "westeurope"
  sku                                         = "Premium"
  zone_redundancy_enabled                     = true
  role_assignment_mode                        = "AbacRepositoryPermissions"
  azuread_authentication_as_arm_policy_enabled = false
  network_rule_bypass_for_tasks_enabled       = false

  georeplications {
    location                        = "northeurope"
    zone_redundancy_enabled         = true
    global_endpoint_routing_enabled = true
  }
}
