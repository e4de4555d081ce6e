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
  arn     = "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
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

# One byte (or one request) outside S3's limits: see valid/limits.hcl.
sync "low" {
  source              = bucket.prod
  destination         = bucket.lake
  role                = role.copier
  mode                = "sync"
  destination_prefix  = "low/"
  concurrency         = 0 # ERROR: Concurrency out of range
  multipart_threshold = "5242879" # ERROR: Size out of range
  part_size           = "5242879" # ERROR: Size out of range
}

sync "high" {
  source              = bucket.prod
  destination         = bucket.lake
  role                = role.copier
  mode                = "sync"
  destination_prefix  = "high/"
  concurrency         = 4097 # ERROR: Concurrency out of range
  multipart_threshold = "5368709121" # ERROR: Size out of range
  part_size           = "5368709121" # ERROR: Size out of range
  archived            = "restore"
  restore_days        = 2147483648 # ERROR: Invalid restore days
}
