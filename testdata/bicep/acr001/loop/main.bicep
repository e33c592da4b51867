param names array = [
  'one'
  'two'
  'three'
]

resource registries 'Microsoft.ContainerRegistry/registries@2023-07-01' = [for (name, i) in names: if (i > 0) {
  name: 'contoso${name}'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: name == 'three'
  }
}]
