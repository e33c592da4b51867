var ranges = [
  '10.0.0.0/8'
  '0.0.0.0/0'
]

module registry 'registry.bicep' = {
  name: 'registry'
  params: {
    rules: [for range in ranges: {
      action: 'Allow'
      value: range
    }]
  }
}
