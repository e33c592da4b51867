resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_container_registry_webhook" "hook" {
  name                = "hook"
  resource_group_name = "rg"
  registry_name       = azurerm_container_registry.acr.name
  location            = "westeurope"
  service_uri         = "https://builder:Sup3rS3cretPassw0rd@hooks.example.com/acr"
  actions             = ["push"]
  custom_headers      = { Authorization = "Bearer tok3n-abcdefghijklmnop" }
}

resource "azurerm_container_registry_task" "build" {
  name                  = "build"
  container_registry_id = azurerm_container_registry.acr.id
  platform {
    os = "Linux"
  }
  docker_step {
    dockerfile_path      = "Dockerfile"
    context_path         = "https://github.com/contoso/app.git#main"
    context_access_token = "ghp_0123456789abcdefghijklmnopqrstuvwxyz"
    image_names          = ["app:latest"]
  }
}
