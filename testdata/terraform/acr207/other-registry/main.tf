resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_container_registry_cache_rule" "nginx" {
  name                  = "dockerhub-nginx"
  container_registry_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-registry/providers/Microsoft.ContainerRegistry/registries/otherregistry"
  source_repo           = "docker.io/library/nginx"
  target_repo           = "nginx"
}
