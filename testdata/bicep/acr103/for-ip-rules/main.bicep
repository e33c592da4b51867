param allowedRanges array = [
  '203.0.113.0/24'
  '0.0.0.0/0'
]

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    networkRuleSet: {
      defaultAction: 'Deny'
      ipRules: [for range in allowedRanges: {
        action: 'Allow'
        value: range
      }]
    }
  }
}
