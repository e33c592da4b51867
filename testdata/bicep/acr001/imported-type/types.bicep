type admin = {
  admin: bool?
}

@export()
type settingsType = admin?
