retention_days = 0
