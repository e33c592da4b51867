resource "azurerm_container_registry" "public" {
  name                   = "acrpublic001"
  resource_group_name    = "rg-demo"
  location               = "westeurope"
  sku                    = "Standard"
  anonymous_pull_enabled = true
}

resource "azurerm_container_registry" "private" {
  name                   = "acrprivate001"
  resource_group_name    = "rg-demo"
  location               = "westeurope"
  sku                    = "Premium"
  anonymous_pull_enabled = false
}
