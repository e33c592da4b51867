var common = {
  adminUserEnabled: true
  publicNetworkAccess: 'Disabled'
}

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    ...common
    zoneRedundancy: 'Enabled'
  }
}

resource second 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contososecond'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    ...common
    adminUserEnabled: false
  }
}

resource third 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosothird'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: false
    ...common
  }
}

resource fourth 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosofourth'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
    ...{ zoneRedundancy: 'Disabled' }
    adminUserEnabled: true
  }
}
