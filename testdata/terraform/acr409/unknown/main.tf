variable "cmk_client_id" {
  type = string
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"

  identity {
    type         = "UserAssigned"
    identity_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-registry/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr-cmk"]
  }

  encryption {
    key_vault_key_id   = "https://contosovault.vault.azure.net/keys/acr-cmk"
    identity_client_id = var.cmk_client_id
  }
}
