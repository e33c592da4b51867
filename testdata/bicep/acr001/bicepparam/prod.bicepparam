using './main.bicep'

param adminEnabled = false
