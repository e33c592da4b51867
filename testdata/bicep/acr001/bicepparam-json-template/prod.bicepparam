using 'main.json'

param registryName = 'contosoregistry'
param adminEnabled = false
