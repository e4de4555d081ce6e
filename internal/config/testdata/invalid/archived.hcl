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

sync "a" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "a/"
  archived           = "restor" # ERROR: Invalid archived
  restore_tier       = "Bulk"
}

sync "b" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "b/"
  archived           = "restore"
  restore_tier       = "Fast" # ERROR: Invalid restore tier
  restore_days       = 0 # ERROR: Invalid restore days
}

sync "c" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "c/"
  archived           = "restore"
  restore_tier       = "bulk" # ERROR: Invalid restore tier
  restore_days       = 1.5 # ERROR: Invalid number
}

sync "d" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "d/"
  restore_tier       = "Expedited" # ERROR: restore_tier without archived = "restore"
  restore_days       = 7 # ERROR: restore_days without archived = "restore"
}

sync "e" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "e/"
  archived           = "fail"
  restore_days       = 7 # ERROR: restore_days without archived = "restore"
}

sync "f" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "f/"
  archived           = true # ERROR: Invalid archived
}
