using './main.bicep'

var enabled = true
param adminEnabled = enabled
