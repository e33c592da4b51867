variable "admin_enabled" {
  type = bool
}
