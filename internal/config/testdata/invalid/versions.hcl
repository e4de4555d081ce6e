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
  source_as_of       = "2026-11-30" # ERROR: Invalid source_as_of
  object_lock        = "Copy" # ERROR: Invalid object_lock
}

sync "b" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "b/"
  source_inventory   = "s3://konfir-prod/inventory/"
  source_as_of       = "2026-11-30T00:00:00Z" # ERROR: source_as_of with source_inventory
}
