param adminEnabled bool = false

@export()
var adminFlag = adminEnabled
