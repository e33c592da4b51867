data "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
}

resource "azurerm_container_registry_webhook" "push" {
  name                = "pushhook"
  resource_group_name = "rg-registry"
  registry_name       = data.azurerm_container_registry.acr.name
  location            = "westeurope"
  service_uri         = "http://hooks.example.com/acr"
  status              = "enabled"
  scope               = "app:*"
  actions             = ["push"]
}
