param environmentName string
param acrSku string = 'Premium'

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'cr${environmentName}'
  location: 'westeurope'
  sku: {
    name: acrSku
  }
}
