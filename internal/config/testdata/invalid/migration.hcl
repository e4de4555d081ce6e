account "prod" {
  id     = "111111111111"
  region = "eu-west-1"
}

account "lake" {
  id     = "222222222222"
  region = "eu-west-1"
}

account "third" {
  id     = "333333333333"
  region = "eu-west-1"
}

key "lake" {
  account = account.lake
  alias   = "alias/lake"
}

key "prod" {
  account = account.prod
  alias   = "alias/prod"
}

bucket "prod" {
  account = account.prod
  name    = "konfir-prod-data"
}

role "elsewhere" {
  account = account.third
  name    = "lakesync-copier"
}

migration "same_name" {
  bucket           = bucket.prod
  to               = account.lake
  key              = key.lake
  temporary_bucket = "konfir-prod-data"  # ERROR: Temporary bucket is the moved bucket
}

migration "bad_name" {
  bucket           = bucket.prod
  to               = account.lake
  key              = key.lake
  temporary_bucket = "Konfir_Tmp"  # ERROR: Invalid bucket name
}

migration "own_account" {
  bucket           = bucket.prod
  to               = account.prod  # ERROR: Migration to the bucket's own account
  key              = key.prod
  temporary_bucket = "konfir-tmp-1"
}

migration "key_elsewhere" {
  bucket           = bucket.prod
  to               = account.lake
  key              = key.prod  # ERROR: Key not in the destination account
  temporary_bucket = "konfir-tmp-2"
}

migration "third_role" {
  bucket           = bucket.prod
  to               = account.lake
  key              = key.lake
  temporary_bucket = "konfir-tmp-3"
  role             = role.elsewhere  # ERROR: Role in a third account
}

migration "bad_region" {
  bucket           = bucket.prod
  to               = account.lake
  key              = key.lake
  temporary_bucket = "konfir-tmp-4"
  region           = "Europe"  # ERROR: Invalid region
}

migration "missing" {  # ERROR: Missing required argument
  bucket = bucket.prod
  to     = account.lake
  key    = key.lake
}

bucket "keyed" {
  account = account.prod
  name    = "konfir-keyed"
  key     = key.prod
}

migration "alias_elsewhere" {
  bucket           = bucket.prod
  to               = account.prod
  key              = key.prod  # ERROR: Key in another region
  temporary_bucket = "konfir-tmp-5"
  region           = "eu-central-1"
}
