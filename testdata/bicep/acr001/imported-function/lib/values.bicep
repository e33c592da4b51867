@export()
var enabled = false
