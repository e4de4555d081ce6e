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

sync "a" {
  source      = bucket.prod
  destination = bucket.lake
  role               = role.copier
  destination_prefix = "a/"
  mode               = "copy" # ERROR: Invalid mode
}

sync "b" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "cp"
  destination_prefix = "b/"
  delete             = true # ERROR: delete with mode cp
  concurrency        = 5000 # ERROR: Concurrency out of range
  part_size          = "1MiB" # ERROR: Size out of range
  storage_class      = "standard" # ERROR: Invalid storage class
  transfer           = "pull" # ERROR: Invalid transfer
}

sync "c" {
  source              = bucket.prod
  destination         = bucket.prod # ERROR: Destination bucket without a key
  role                = role.copier
  mode                = "sync"
  source_prefix       = "in/"
  destination_prefix  = "c/"
  multipart_threshold = "lots" # ERROR: Invalid size
}

sync "self" {
  source      = bucket.lake
  destination        = bucket.lake # ERROR: Source equals destination
  role               = role.copier
  mode               = "sync"
  source_prefix      = "x/"
  destination_prefix = "x/"
}

sync "d" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "b/sub/" # ERROR: Overlapping destination prefixes
}

sync "no_role" { # ERROR: Missing copier role
  source             = bucket.prod
  destination        = bucket.lake
  mode               = "sync"
  destination_prefix = "e/"
  include            = ["[a-"] # ERROR: Invalid pattern
}

sync "no-role" { # ERROR: Job names collide
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "f/"
  source_prefix      = "/data/" # ERROR: Prefix starts with /
}

sync "g" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.coper # ERROR: Reference to undeclared role
  mode               = "sync"
  destination_prefix = "g/"
  unknown            = 1 # ERROR: Unsupported argument
}

sync "h" {
  source      = bucket.prod
  destination = bucket.lake # ERROR: Overlapping destination prefixes
  role        = role.copier
  mode        = "sync"
}
