using '../main.bicep'

param adminEnabled = true
