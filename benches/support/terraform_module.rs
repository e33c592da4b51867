//! A generated Terraform module like the synthetic corpus's: `variables.tf` and files that
//! each declare a resource group, a virtual network, a storage account and a registry, some
//! settings through module variables and locals.

pub const VARIABLES: &str = "variable \"location\" {\n  default = \"westeurope\"\n}\n\
                             variable \"sku\" {\n  default = \"Premium\"\n}\n\
                             locals {\n  prefix = \"bench\"\n}\n";

/// One file of the module, its registry's admin user on in every other file.
pub fn module_file(i: usize) -> String {
    module_file_with(i, i.is_multiple_of(2))
}

/// One file of the module: a resource group, a virtual network, a storage account and a
/// registry whose admin user is `admin`.
pub fn module_file_with(i: usize, admin: bool) -> String {
    format!(
        r#"resource "azurerm_resource_group" "rg{i}" {{
  name     = "rg-${{local.prefix}}-{i}"
  location = var.location
}}

resource "azurerm_virtual_network" "vnet{i}" {{
  name                = "vnet-{i}"
  location            = azurerm_resource_group.rg{i}.location
  resource_group_name = azurerm_resource_group.rg{i}.name
  address_space       = ["10.{octet}.0.0/16"]
}}

resource "azurerm_storage_account" "st{i}" {{
  name                     = "stbench{i}"
  resource_group_name      = azurerm_resource_group.rg{i}.name
  location                 = azurerm_resource_group.rg{i}.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
}}

resource "azurerm_container_registry" "acr{i}" {{
  name                          = "acrbench{i}"
  resource_group_name           = azurerm_resource_group.rg{i}.name
  location                      = azurerm_resource_group.rg{i}.location
  sku                           = var.sku
  admin_enabled                 = {admin}
  public_network_access_enabled = false
}}
"#,
        octet = i % 250,
    )
}
