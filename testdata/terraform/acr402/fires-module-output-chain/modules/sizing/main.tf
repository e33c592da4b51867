output "sku" {
  value = "Basic"
}
