variable "admin_enabled" {
  type    = bool
  default = true
}
