param adminUserEnabled bool = false

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acrdemo001'
  location: 'westeurope'
  sku: { name: 'Premium' }
  properties: { adminUserEnabled: adminUserEnabled }
}
