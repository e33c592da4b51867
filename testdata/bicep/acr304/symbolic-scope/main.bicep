resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
}

resource lock 'Microsoft.Authorization/locks@2020-05-01' = {
  name: 'registry-nodelete'
  scope: acr
  properties: {
    level: 'CanNotDelete'
  }
}
