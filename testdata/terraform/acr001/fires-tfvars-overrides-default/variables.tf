variable "admin_enabled" {
  type    = bool
  default = false
}
