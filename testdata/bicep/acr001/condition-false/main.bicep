param deploy bool = false

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = if (deploy) {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: true
  }
}
