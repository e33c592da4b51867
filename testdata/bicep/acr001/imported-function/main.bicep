import { adminFor as admin } from 'lib/functions.bicep'
import * as lib from 'lib/functions.bicep'

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: admin('dev')
  }
}

resource other 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoother'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: lib.adminFor('prod') || lib.defaultAdmin
  }
}
