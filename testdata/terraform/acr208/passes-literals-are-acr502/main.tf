resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_container_registry_task" "build" {
  name                  = "buildapp"
  container_registry_id = azurerm_container_registry.acr.id

  platform {
    os = "Linux"
  }

  docker_step {
    dockerfile_path      = "Dockerfile"
    context_path         = "https://github.com/contoso/app.git#main"
    context_access_token = "ghp_0123456789abcdefghijklmnopqrstuvwxyz"
    image_names          = ["app:{{.Run.ID}}"]
  }

  registry_credential {
    custom {
      login_server = "mirror.example.com"
      username     = "builder"
      password     = "s3cr3t-Passw0rd"
    }
  }
}
