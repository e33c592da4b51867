using './other.bicep'

param adminEnabled = true
