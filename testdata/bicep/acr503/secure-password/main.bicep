@secure()
param webhookToken string

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }

  resource hook 'webhooks' = {
    name: 'hook1'
    location: 'westeurope'
    properties: {
      serviceUri: 'https://hooks.example.com/acr'
      actions: [
        'push'
      ]
      customHeaders: {
        Authorization: webhookToken
      }
    }
  }
}
