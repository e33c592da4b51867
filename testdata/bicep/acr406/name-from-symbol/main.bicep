param location string = 'westeurope'

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: location
  sku: {
    name: 'Premium'
  }
}

resource replica 'Microsoft.ContainerRegistry/registries/replications@2023-07-01' = {
  name: '${acr.name}/${location}'
  location: location
}
