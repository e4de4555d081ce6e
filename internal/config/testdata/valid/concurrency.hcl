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


# concurrency: "auto" (the default) or 1 to 4096; the request rate and the
# bandwidth (a stream job's) are caps, absent by default.
sync "absent" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "absent/"
}

sync "auto" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "auto/"
  concurrency        = "auto"
}

sync "fixed" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "fixed/"
  concurrency        = 4096
  max_requests_per_second = 0.5
}

sync "from_string" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "from_string/"
  concurrency        = "128"
  max_requests_per_second = "3500"
}

sync "stream" {
  source             = bucket.prod
  destination        = bucket.lake
  transfer           = "stream"
  mode               = "sync"
  destination_prefix = "stream/"
  bandwidth          = "200MiB"
}

sync "stream_per_second" {
  source             = bucket.prod
  destination        = bucket.lake
  transfer           = "stream"
  mode               = "sync"
  destination_prefix = "stream_per_second/"
  bandwidth          = "1.5GB/s"
  max_requests_per_second = 100
}
