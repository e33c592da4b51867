var switches = loadDirectoryFileInfo('flags', '*.on')

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: contains(map(switches, file => file.baseName), 'admin.on')
  }
}

resource second 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contososecond'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: length(loadDirectoryFileInfo('./flags')) == 2 && switches[0].relativePath == 'flags/admin.on' && switches[0].extension == '.on'
  }
}
