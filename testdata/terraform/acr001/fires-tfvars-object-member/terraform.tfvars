registry = {
  sku   = "Premium"
  admin = true
}
