module registry 'registry.bicep' = {
  name: 'registry'
}
