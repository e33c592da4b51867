module "scopes" {
  source = "./modules/scopes"
  scope_maps = {
    pull = {
      actions = ["repositories/app/content/read"]
    }
    ops = {
      actions = [
        "repositories/app/content/read",
        "repositories/*/content/write",
      ]
    }
  }
}
