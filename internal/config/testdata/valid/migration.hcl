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
  name    = "konfir-prod-data"
}

role "copier" {
  account = account.prod
  name    = "lakesync-copier"
}

migration "prod_data" {
  bucket           = bucket.prod
  to               = account.lake
  key              = key.lake
  temporary_bucket = "konfir-prod-data-moving"
}

migration "prod_data_server_side" {
  bucket           = bucket.prod
  to               = account.lake
  key              = key.lake
  temporary_bucket = "konfir-prod-data-moving2"
  role             = role.copier
  region           = "eu-west-1"
}

key "prod_frankfurt" {
  account = account.prod
  alias   = "alias/prod"
}

# The same account, another region: a region move.
migration "to_frankfurt" {
  bucket           = bucket.prod
  to               = account.prod
  key              = key.prod_frankfurt
  temporary_bucket = "konfir-prod-data-fra"
  region           = "eu-central-1"
}
