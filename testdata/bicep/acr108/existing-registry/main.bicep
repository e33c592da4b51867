resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: 'contosoregistry'
}

resource hook 'Microsoft.ContainerRegistry/registries/webhooks@2023-07-01' = {
  parent: acr
  name: 'deployhook'
  location: 'westeurope'
  properties: {
    serviceUri: 'http://hooks.contoso.com/deploy'
    actions: [
      'push'
    ]
  }
}
