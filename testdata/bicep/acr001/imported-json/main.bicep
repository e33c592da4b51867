import { adminEnabled, adminFor } from 'shared.json'
import * as shared from 'shared.json'

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

resource second 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contososecond'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: adminFor('dev')
  }
}

resource third 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosothird'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: shared.flags[1]
  }
}
