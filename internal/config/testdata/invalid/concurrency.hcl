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


# concurrency, max_requests_per_second and bandwidth out of their domains;
# bandwidth on a server-side job (the default transfer).
sync "fast" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "fast/"
  concurrency        = "fast" # ERROR: Invalid concurrency
}

sync "over" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "over/"
  concurrency        = 4097 # ERROR: Concurrency out of range
}

sync "half" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "half/"
  concurrency        = 1.5 # ERROR: Invalid concurrency
}

sync "rate" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "rate/"
  max_requests_per_second = 0 # ERROR: Invalid request rate
}

sync "rate_text" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "rate_text/"
  max_requests_per_second = "lots" # ERROR: Invalid request rate
}

sync "server_side" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "server_side/"
  bandwidth          = "200MiB" # ERROR: Bandwidth on a server-side job
}

sync "bad_bandwidth" {
  source             = bucket.prod
  destination        = bucket.lake
  transfer           = "stream"
  mode               = "sync"
  destination_prefix = "bad_bandwidth/"
  bandwidth          = "fast" # ERROR: Invalid bandwidth
}

sync "zero_bandwidth" {
  source             = bucket.prod
  destination        = bucket.lake
  transfer           = "stream"
  mode               = "sync"
  destination_prefix = "zero_bandwidth/"
  bandwidth          = "0MiB/s" # ERROR: Invalid bandwidth
}
