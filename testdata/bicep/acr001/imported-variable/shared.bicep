var defaults = {
  admin: enabled
}

@export()
var settings = defaults

var enabled = true
