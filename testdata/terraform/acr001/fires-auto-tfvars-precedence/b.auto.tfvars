admin_enabled = true
