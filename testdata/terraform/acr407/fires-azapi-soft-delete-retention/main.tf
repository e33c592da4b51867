resource "azapi_resource" "acr" {
  type      = "Microsoft.ContainerRegistry/registries@2023-11-01-preview"
  name      = "contosoregistry"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-registry"
  location  = "westeurope"

  body = {
    sku = {
      name = "Premium"
    }
    properties = {
      policies = {
        softDeletePolicy = {
          status        = "enabled"
          retentionDays = 7
        }
        retentionPolicy = {
          status = "enabled"
          days   = 7
        }
      }
    }
  }
}
