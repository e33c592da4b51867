module "registry" {
  source = "./modules/registry"
  name   = "contosoacr001"
}
