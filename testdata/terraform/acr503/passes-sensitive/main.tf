variable "webhook_token" {
  type      = string
  sensitive = true
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_container_registry_webhook" "push" {
  name                = "pushhook"
  resource_group_name = "rg-registry"
  registry_name       = azurerm_container_registry.acr.name
  location            = "westeurope"
  service_uri         = "https://hooks.example.com/acr"
  status              = "enabled"
  scope               = "app:*"
  actions             = ["push"]
  custom_headers = {
    Authorization = var.webhook_token
  }
}
