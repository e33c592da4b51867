using './main.bicep'

param quarantineStatus = 'enabled'
