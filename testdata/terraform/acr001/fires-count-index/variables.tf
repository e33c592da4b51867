variable "admins" {
  type    = list(bool)
  default = [false, true]
}
