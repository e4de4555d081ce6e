account "prod" {
  id     = "111111111111"
  region = "eu-west-1"
}

account "lake" {
  id     = "222222222222"
  region = "eu-west-1"
}

key "lake" {
  account = account.lake
  alias   = "alias/lake"
}

bucket "prod" {
  account = account.prod
  name    = "konfir-prod"
}

bucket "lake" {
  account = account.lake
  name    = "konfir-lake"
  key     = key.lake
}

role "copier" {
  account = account.prod
  name    = "copier"
}

# The default: archived objects are counted, not copied.
sync "a" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "a/"
  source_inventory   = "https://konfir-inventory/reports/" # ERROR: Invalid inventory location
}

sync "b" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "b/"
  source_inventory   = "konfir-inventory/reports/" # ERROR: Invalid inventory location
}

sync "c" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "c/"
  source_inventory   = "s3://Konfir_Inventory/reports/" # ERROR: Invalid inventory location
}

sync "d" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "d/"
  source_inventory   = "s3://konfir-inventory/reports" # ERROR: Invalid inventory location
}

sync "e" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "e/"
  source_inventory   = "s3:///reports/" # ERROR: Invalid inventory location
}

sync "f" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "f/"
  source_inventory   = "s3://konfir-inventory//reports/" # ERROR: Invalid inventory location
}

sync "g" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "g/"
  source_inventory   = ["s3://konfir-inventory/reports/"] # ERROR: Incorrect value type
}

sync "h" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "h/"
  source_inventory   = "" # ERROR: Invalid inventory location
}
