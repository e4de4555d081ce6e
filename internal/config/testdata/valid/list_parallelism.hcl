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

variable "ranges" {
  default = "8"
}

# list_parallelism: "auto" (the default) or a number of key ranges, 1..1024.
sync "default" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "default/"
}

sync "auto" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "auto/"
  list_parallelism   = "auto"
}

sync "one" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "one/"
  list_parallelism   = 1
}

sync "most" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "most/"
  list_parallelism   = 1024
}

sync "variable" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "variable/"
  list_parallelism   = var.ranges
}
