module "acr" {
  source = "./modules/acr"
  settings = {
    sku = "Premium"
  }
}
