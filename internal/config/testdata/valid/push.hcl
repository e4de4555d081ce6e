account "prod" {
  id      = "111111111111"
  region  = "eu-west-1"
  profile = "prod"
}

account "lake" {
  id          = "222222222222"
  region      = "eu-west-1"
  role_arn    = "arn:aws:iam::222222222222:role/lakesync-admin"
  external_id = "lakesync"
}

key "lake" {
  account = account.lake
  arn     = "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

bucket "prod" {
  account = account.prod
  name    = "konfir-prod-data"
}

bucket "lake" {
  account = account.lake
  name    = "konfir-datalake-raw"
  key     = key.lake
}

role "copier" {
  account = account.prod
  name    = "lakesync-copier"
}

sync "prod_to_lake" {
  source              = bucket.prod
  destination         = bucket.lake
  role                = role.copier
  mode                = "sync"
  source_prefix       = "exports/"
  destination_prefix  = "prod/"
  include             = ["**/*.parquet"]
  exclude             = ["tmp/**"]
  delete              = true
  concurrency         = 128
  multipart_threshold = "1GiB"
  part_size           = "128MiB"
  storage_class       = "INTELLIGENT_TIERING"
}

state {
  path = ".lakesync/prod.state"
}
