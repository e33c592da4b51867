# Sorts after the `modules` directory: still part of the root module.
variable "registry_sku" {
  type    = string
  default = "Basic"
}
