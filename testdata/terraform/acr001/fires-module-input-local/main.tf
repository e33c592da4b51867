locals {
  registry = {
    admin = true
  }
}

module "acr" {
  source = "./modules/acr"
  admin  = local.registry.admin
}
