locals {
  config = yamldecode(file("${path.module}/config.yaml"))
}

module "acr" {
  source   = "./modules/acr"
  settings = local.config.registry
}
