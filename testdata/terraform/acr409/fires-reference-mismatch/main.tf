resource "azurerm_user_assigned_identity" "cmk" {
  name                = "id-acr-cmk"
  resource_group_name = "rg-registry"
  location            = "westeurope"
}

resource "azurerm_user_assigned_identity" "other" {
  name                = "id-acr-other"
  resource_group_name = "rg-registry"
  location            = "westeurope"
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg-registry"
  location            = "westeurope"
  sku                 = "Premium"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.other.id]
  }

  encryption {
    key_vault_key_id   = "https://contosovault.vault.azure.net/keys/acr-cmk"
    identity_client_id = azurerm_user_assigned_identity.cmk.client_id
  }
}
