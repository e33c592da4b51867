@export()
var defaults = {
  admin: true
}
