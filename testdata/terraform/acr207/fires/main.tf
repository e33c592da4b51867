resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_container_registry_cache_rule" "nginx" {
  name                  = "dockerhub-nginx"
  container_registry_id = azurerm_container_registry.acr.id
  source_repo           = "docker.io/library/nginx"
  target_repo           = "nginx"
}
