param registryName string = 'contosoregistry'

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
}

