admin_enabled = false
