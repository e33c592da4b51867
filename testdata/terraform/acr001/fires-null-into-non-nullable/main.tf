module "registry" {
  source        = "./modules/acr"
  admin_enabled = null
}
