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

sync "none" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "none/"
  list_parallelism   = 0 # ERROR: List parallelism out of range
}

sync "too_many" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "too_many/"
  list_parallelism   = 1025 # ERROR: List parallelism out of range
}

sync "words" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "words/"
  list_parallelism   = "automatic" # ERROR: Invalid list_parallelism
}

sync "fraction" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "fraction/"
  list_parallelism   = 2.5 # ERROR: Invalid list_parallelism
}

sync "boolean" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "boolean/"
  list_parallelism   = true # ERROR: Invalid list_parallelism
}

sync "list" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "list/"
  list_parallelism   = [4] # ERROR: Invalid list_parallelism
}

sync "null" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "null/"
  list_parallelism   = null # ERROR: Null value
}
