account "lake" {
  id     = "222222222222"
  region = "eu-west-1"
}

key "lake" {
  account = account.lake
  arn     = "arn:aws:kms:eu-west-1:222222222222:key/abcd"
  policy  = "terraform" # ERROR: Invalid policy ownership
}

bucket "lake" {
  account = account.lake
  name    = "konfir-lake"
  policy  = "External" # ERROR: Invalid policy ownership
}

role "copier" {
  account = account.lake
  name    = "lakesync-copier"
  policy  = true # ERROR: Invalid policy ownership
}
