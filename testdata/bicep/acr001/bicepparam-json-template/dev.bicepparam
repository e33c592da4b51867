using 'main.json'

var prefix = 'contoso'
param registryName = '${prefix}registry'
param adminEnabled = true
