account "lake" {
  id     = "222222222222"
  region = "eu-west-1"
}

key "east" {
  account = account.lake
  arn     = "arn:aws:kms:us-east-1:222222222222:key/abcd"
}

key "west" {
  account = account.lake
  arn     = "arn:aws:kms:eu-west-1:222222222222:key/abcd"
}

key "alias" {
  account = account.lake
  alias   = "alias/datalake"
}

bucket "short" {
  account = account.lake
  name    = "konfir-short"
  region  = "us-east" # ERROR: Invalid region
}

bucket "legacy" {
  account = account.lake
  name    = "konfir-legacy"
  region  = "EU" # ERROR: Invalid region
}

bucket "empty" {
  account = account.lake
  name    = "konfir-empty"
  region  = "" # ERROR: Invalid region
}

bucket "east_with_west_key" {
  account = account.lake
  name    = "konfir-east"
  region  = "us-east-1"
  key     = key.west # ERROR: Key in another region
}

bucket "default_with_east_key" {
  account = account.lake
  name    = "konfir-default"
  key     = key.east # ERROR: Key in another region
}

bucket "alias_east" {
  account = account.lake
  name    = "konfir-alias-east"
  region  = "us-east-1"
  key     = key.alias
}

bucket "alias_west" {
  account = account.lake
  name    = "konfir-alias-west"
  key     = key.alias # ERROR: Key in another region
}

bucket "nameless" { # ERROR: Missing required argument
  account = account.lake
  region  = "eu" # ERROR: Invalid region
}
