resource "azurerm_user_assigned_identity" "acr" {
  name                = "id-acr-demo"
  resource_group_name = "rg-demo"
  location            = "westeurope"
}

resource "azurerm_container_registry" "acr" {
  name                = "acrdemo001"
  resource_group_name = "rg-demo"
  location            = "westeurope"
  sku                 = "Premium"

  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.acr.id]
  }
}
