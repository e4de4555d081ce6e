variable "env" {
  default     = "staging"
  description = "Which Production environment to copy from."
}

variable "concurrency" {
  default = 32
}

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
  alias   = "alias/datalake"
}

bucket "prod" {
  account = account.prod
  name    = "konfir-${var.env}-data"
}

bucket "lake" {
  account = account.lake
  name    = "konfir-datalake-raw"
  key     = key.lake
}

role "copier" {
  account = account.lake
  name    = "lakesync-copier"
}

sync "events" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "cp"
  source_prefix      = "events/"
  destination_prefix = "${var.env}/events/"
  concurrency        = var.concurrency
}

sync "users" {
  source             = bucket.prod
  destination        = bucket.lake
  transfer           = "stream"
  mode               = "sync"
  source_prefix      = "users/"
  destination_prefix = "${var.env}/users/"
}
