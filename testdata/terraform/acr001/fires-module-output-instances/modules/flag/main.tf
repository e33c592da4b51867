variable "enabled" {
  type = bool
}

output "enabled" {
  value = var.enabled
}
