module "acr" {
  source = "./modules/acr"
  admin  = true
}
