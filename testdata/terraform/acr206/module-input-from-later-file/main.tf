module "registry" {
  source = "./modules/acr"
  sku    = var.registry_sku
}
