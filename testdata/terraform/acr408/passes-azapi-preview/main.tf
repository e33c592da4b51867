resource "azapi_resource" "acr" {
  type      = "Microsoft.ContainerRegistry/registries@2025-03-01-preview"
  name      = "contosoregistry"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-registry"
  location  = "westeurope"

  body = {
    sku = {
      name = "Standard"
    }
    properties = {
      policies = {
        softDeletePolicy = {
          status = "enabled"
        }
      }
    }
  }
}
