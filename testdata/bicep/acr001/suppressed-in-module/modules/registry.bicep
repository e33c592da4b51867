param adminEnabled bool = false

// acr-lint:ignore ACR001 reason="callers decide; the module allows it"
resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: adminEnabled
  }
}
