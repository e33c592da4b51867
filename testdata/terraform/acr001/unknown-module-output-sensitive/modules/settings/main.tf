output "admin" {
  value     = true
  sensitive = true
}
