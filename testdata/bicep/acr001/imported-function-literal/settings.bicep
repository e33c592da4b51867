@export()
func defaults() object => {
  adminUserEnabled: true
}

@export()
func adminFor(environment string) object => {
  enabled: true
  environment: 'any'
}
