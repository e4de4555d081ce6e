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
sync "skip" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "skip/"
}

sync "restore_defaults" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "restore_defaults/"
  archived           = "restore"
}

sync "restore_fast" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "restore_fast/"
  archived           = "restore"
  restore_tier       = "Expedited"
  restore_days       = 1
}

sync "fail" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "cp"
  destination_prefix = "fail/"
  archived           = "fail"
}
