variable "admin" {
  type    = bool
  default = true
}
