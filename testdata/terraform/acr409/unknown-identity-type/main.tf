variable "identity_type" {
  type = string
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"

  identity {
    type = var.identity_type
  }

  encryption {
    key_vault_key_id   = "https://contosovault.vault.azure.net/keys/acr-cmk"
    identity_client_id = "33333333-3333-3333-3333-333333333333"
  }
}
