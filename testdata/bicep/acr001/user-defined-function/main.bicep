param environment string = 'Dev'

func isDev(name string) bool => toLower(name) == 'dev'

func adminFor(environment string) bool => isDev(environment) && !empty('${environment}x')

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: adminFor(environment)
  }
}
