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

# S3's limits: parts of 5MiB to 5GiB, a single CopyObject up to 5GiB. The
# multipart threshold is at least one part. A restore lasts from 1 day to
# the largest Days S3 takes (an int32).
sync "smallest" {
  source              = bucket.prod
  destination         = bucket.lake
  role                = role.copier
  mode                = "sync"
  destination_prefix  = "small/"
  concurrency         = 1
  multipart_threshold = "5MiB"
  part_size           = "5MiB"
  archived            = "restore"
  restore_days        = 1
}

sync "largest" {
  source              = bucket.prod
  destination         = bucket.lake
  role                = role.copier
  mode                = "sync"
  destination_prefix  = "large/"
  concurrency         = 4096
  multipart_threshold = "5GiB"
  part_size           = "5GiB"
  archived            = "restore"
  restore_days        = 2147483647
}
