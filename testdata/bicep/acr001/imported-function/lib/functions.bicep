import { enabled } from 'values.bicep'

func isDev(environment string) bool => environment == 'dev'

@export()
func adminFor(environment string) bool => isDev(environment)

@export()
var defaultAdmin = enabled
