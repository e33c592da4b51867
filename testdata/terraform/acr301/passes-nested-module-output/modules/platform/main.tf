module "registry" {
  source = "../acr"
}

output "container_registry_id" {
  value = module.registry.registry_id
}
