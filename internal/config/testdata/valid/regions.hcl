# A destination bucket in us-east-1 owned by an account whose other
# resources are in eu-west-1: the bucket says so, and its keys live in its
# region.
account "prod" {
  id      = "111111111111"
  region  = "eu-west-1"
  profile = "prod"
}

account "lake" {
  id      = "222222222222"
  region  = "eu-west-1"
  profile = "lake"
}

key "lake_east" {
  account = account.lake
  alias   = "alias/datalake"
}

key "lake_east_arn" {
  account = account.lake
  arn     = "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

key "prod" {
  account = account.prod
  alias   = "alias/exports"
}

bucket "prod" {
  account = account.prod
  name    = "konfir-prod-data"
  key     = key.prod
}

bucket "lake" {
  account = account.lake
  name    = "konfir-datalake-us"
  region  = "us-east-1"
  key     = key.lake_east
}

bucket "lake_archive" {
  account = account.lake
  name    = "konfir-datalake-us-archive"
  region  = "us-east-1"
  key     = key.lake_east_arn
}

role "copier" {
  account = account.prod
  name    = "lakesync-copier"
}

sync "prod_to_lake" {
  source      = bucket.prod
  destination = bucket.lake
  role        = role.copier
  mode        = "sync"
}
