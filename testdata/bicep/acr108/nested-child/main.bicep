resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }

  resource hook 'webhooks' = {
    name: 'deployhook'
    location: 'westeurope'
    properties: {
      serviceUri: 'http://hooks.contoso.com/deploy'
      actions: [
        'push'
      ]
    }
  }
}
