variable "prefix" {
  type = string
}

locals {
  registry = {
    admin = false
    sku   = "Premium"
  }
}

output "registry_name" {
  value = "${var.prefix}acr001"
}

output "admin" {
  value = local.registry.admin
}

output "sku" {
  value = local.registry.sku
}
