resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: 'contosoregistry'
}

output loginServer string = acr.properties.loginServer
