resource "azapi_resource" "acr" {
  type      = "Microsoft.ContainerRegistry/registries@2023-07-01"
  name      = "contosoregistry"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-registry"
  location  = "westeurope"

  body = jsonencode({
    sku        = { name = "Premium" }
    properties = { adminUserEnabled = var.admin }
  })
}
