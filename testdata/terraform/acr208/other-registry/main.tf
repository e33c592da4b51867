variable "github_token" {
  type      = string
  sensitive = true
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_container_registry_task" "build" {
  name                  = "buildapp"
  container_registry_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-registry/providers/Microsoft.ContainerRegistry/registries/otherregistry"

  platform {
    os = "Linux"
  }

  docker_step {
    dockerfile_path      = "Dockerfile"
    context_path         = "https://github.com/contoso/app.git#main"
    context_access_token = var.github_token
    image_names          = ["app:{{.Run.ID}}"]
  }

  registry_credential {
    custom {
      login_server = "mirror.example.com"
      username     = "builder"
      password     = var.mirror_password
    }
  }
}

variable "mirror_password" {
  type      = string
  sensitive = true
}
