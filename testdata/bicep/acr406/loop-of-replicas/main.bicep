var regions = [
  'northeurope'
  'westeurope'
]

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
}

resource replicas 'Microsoft.ContainerRegistry/registries/replications@2023-07-01' = [for region in regions: {
  parent: acr
  name: region
  location: region
}]
