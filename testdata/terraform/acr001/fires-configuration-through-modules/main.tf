variable "registries" {
  default = {}
}

module "platform" {
  source = "./platform"
  compute = {
    registries = var.registries
  }
}
