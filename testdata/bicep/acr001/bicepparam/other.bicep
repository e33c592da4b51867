param adminEnabled bool
