param registryName string = 'contosoregistry'

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit'
  scope: acr
  properties: {
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}
