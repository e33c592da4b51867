variable "env" {
  default = "dev"
}

module "acr" {
  source = "./modules/acr"
  name   = "contoso-${var.env}"
}
