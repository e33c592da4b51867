func settings() object => {
  ...{ adminUserEnabled: true }
  zoneRedundancy: 'Disabled'
}

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: settings()
}
