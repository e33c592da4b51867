variable "sku" {
  type = string
}

output "sku" {
  value = var.sku
}
