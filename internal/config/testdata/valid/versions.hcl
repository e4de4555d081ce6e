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

# The defaults: current versions, the bucket's default retention.
sync "current" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "current/"
}

sync "snapshot" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "snapshot/"
  source_as_of       = "2026-11-30T01:00:00+01:00"
  object_lock        = "copy"
}
