param environment string = 'prod'

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = if (environment == 'prod' && !empty(environment)) {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: environment =~ 'PROD'
  }
}
