param namePrefix string = '#_namePrefix_#'

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: '${namePrefix}acr001'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
}
