using none

param adminEnabled = true
param otherAdminEnabled = true
