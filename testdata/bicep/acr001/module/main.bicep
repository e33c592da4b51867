module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    adminEnabled: true
  }
}

module quiet 'modules/registry.bicep' = {
  name: 'quiet'
  params: {
    adminEnabled: false
  }
}
