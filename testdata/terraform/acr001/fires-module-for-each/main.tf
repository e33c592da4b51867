module "registry" {
  source   = "./modules/registry"
  for_each = { dev = true, prod = false }
  name     = "contoso${each.key}"
  admin    = each.value
}
