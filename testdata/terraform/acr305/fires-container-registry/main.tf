resource "azurerm_security_center_subscription_pricing" "registry" {
  tier          = "Free"
  resource_type = "ContainerRegistry"
}
