registries = {
  shared = {
    name          = "contososhared"
    admin_enabled = true
  }
  apps = {
    name = "contosoapps"
  }
}
