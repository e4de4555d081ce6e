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
# The reports' destination prefix, the whole bucket, and one report's
# SOURCE-BUCKET/CONFIG-ID folder.
sync "prefix" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "prefix/"
  source_inventory   = "s3://konfir-inventory/reports/"
}

sync "bucket_only" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "cp"
  destination_prefix = "bucket_only/"
  source_inventory   = "s3://konfir-inventory"
}

sync "config_id" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "config_id/"
  source_inventory   = "s3://konfir-prod/inventory/konfir-prod/daily/"
}

sync "none" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "none/"
}
