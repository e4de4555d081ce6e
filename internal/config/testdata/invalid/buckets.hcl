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

bucket "upper" {
  account = account.prod
  name    = "Konfir_Data" # ERROR: Invalid bucket name
}

bucket "ip" {
  account = account.prod
  name    = "192.168.1.1" # ERROR: Invalid bucket name
}

bucket "wrongkey" {
  account = account.prod
  name    = "konfir-prod"
  key     = key.lake # ERROR: Key in another account than its bucket
}

bucket "quoted" {
  account = "account.prod" # ERROR: Invalid reference
  name    = "konfir-quoted"
}

bucket "kind" {
  account = key.lake # ERROR: Invalid reference
  name    = "konfir-kind"
}

role "bad" {
  account = account.prod
  name    = "arn:aws:iam::111111111111:role/x" # ERROR: Invalid role name
}
