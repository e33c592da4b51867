variable "retention_days" {
  type    = number
  default = 7
}
