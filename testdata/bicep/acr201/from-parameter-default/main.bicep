@allowed([
  'enabled'
  'disabled'
])
param quarantineStatus string = 'disabled'

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    policies: {
      quarantinePolicy: {
        status: quarantineStatus
      }
    }
  }
}
