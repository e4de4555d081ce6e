account "lake" {
  id     = "222222222222"
  region = "eu-west-1"
}

key "lake" {
  account = account.lake
  alias   = "alias/lake"
}

bucket "versioned_existing" {
  account    = account.lake
  name       = "konfir-versioned"
  key        = key.lake
  versioning = true  # ERROR: versioning without create
}

bucket "no_key" {
  account = account.lake
  name    = "konfir-no-key"
  create  = true  # ERROR: create without key
}

bucket "external" {
  account = account.lake
  name    = "konfir-external"
  key     = key.lake
  policy  = "external"
  create  = true  # ERROR: create with policy = "external"
}

bucket "not_bool" {
  account = account.lake
  name    = "konfir-not-bool"
  key     = key.lake
  create  = "yes"  # ERROR: Incorrect value type
}
