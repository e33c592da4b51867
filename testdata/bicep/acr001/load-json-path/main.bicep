var admin = loadJsonContent('settings.json', '$.registries[?(@.name == \'contosoregistry\')].admin')
var others = loadYamlContent('settings.yaml', '.registries[?(@.admin == true)].name')

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: admin
  }
}

resource second 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contososecond'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: contains(others, 'contososecond')
  }
}
