using 'main.bicep'

extends 'base.bicepparam'

param otherAdminEnabled = false
