using 'main.bicep'

import { defaults } from 'shared.bicep'

param adminEnabled = defaults.admin
