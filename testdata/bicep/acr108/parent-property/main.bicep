resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
}

resource hook 'Microsoft.ContainerRegistry/registries/webhooks@2023-07-01' = {
  parent: acr
  name: 'deployhook'
  location: 'westeurope'
  properties: {
    serviceUri: 'https://hooks.contoso.com/deploy'
    actions: [
      'push'
    ]
  }
}
