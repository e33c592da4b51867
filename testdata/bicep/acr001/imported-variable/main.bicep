import { settings as shared } from 'shared.bicep'
import * as common from 'shared.bicep'

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: shared.admin
  }
}

resource other 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoother'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: common.settings.admin
  }
}
