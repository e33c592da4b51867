resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    /* acr-lint:ignore ACR001 reason="temporary" */
    adminUserEnabled: true
  }
}
