account "lake" {
  id     = "222222222222"
  region = "eu-west-1"
}

key "managed" {
  account = account.lake
  alias   = "alias/aws/s3" # ERROR: AWS-managed key
}

key "both" {
  account = account.lake
  arn     = "arn:aws:kms:eu-west-1:222222222222:key/abcd"
  alias   = "alias/x" # ERROR: Both arn and alias
}

key "none" { # ERROR: Missing key identifier
  account = account.lake
}

key "elsewhere" {
  account = account.lake
  arn     = "arn:aws:kms:eu-west-1:333333333333:key/abcd" # ERROR: Key in another account
}

key "region" {
  account = account.lake
  arn     = "arn:aws:kms:us-east-1:222222222222:key/abcd" # valid: see regions.hcl
}

key "bad" {
  account = account.lkae # ERROR: Reference to undeclared account
  arn     = "not-an-arn" # ERROR: Invalid key ARN
}

key "aliasarn" {
  account = account.lake
  arn     = "arn:aws:kms:eu-west-1:222222222222:alias/lake" # ERROR: Alias ARN given as key ARN
}

# A key whose ARN is wrong has no region: its bucket gets no second error.
bucket "aliasarn" {
  account = account.lake
  name    = "konfir-aliasarn"
  key     = key.aliasarn
}
