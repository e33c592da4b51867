variable "compute" {
  default = {}
}

locals {
  compute = {
    registries = try(var.compute.registries, {})
  }
}

module "registry" {
  source        = "./registry"
  for_each      = local.compute.registries
  name          = each.value.name
  admin_enabled = try(each.value.admin_enabled, false)
}
