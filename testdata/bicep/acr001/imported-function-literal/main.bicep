import { defaults } from 'settings.bicep'
import * as settings from 'settings.bicep'

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: defaults()
}

resource second 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contososecond'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: settings.adminFor('prod').enabled
  }
}
