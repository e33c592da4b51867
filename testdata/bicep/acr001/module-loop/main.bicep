var admins = [
  false
  true
]

module registries 'registry.bicep' = [for (admin, i) in admins: {
  name: 'registry${i}'
  params: {
    name: 'contoso${i}'
    adminEnabled: admin
  }
}]
