# Stream: the two accounts share no trust at all. lakesync reads with the
# source account's credentials and writes with the destination's, so no
# cross-account policy statement is needed; bytes flow through the machine
# running lakesync, with memory bounded by part_size x concurrency.

account "vendor" {
  id      = "333333333333"
  region  = "us-east-1"
  profile = "vendor-readonly"
}

account "lake" {
  id      = "222222222222"
  region  = "eu-west-1"
  profile = "datalake"
}

key "lake" {
  account = account.lake
  alias   = "alias/datalake"
}

bucket "vendor" {
  account = account.vendor
  name    = "vendor-deliveries"
}

bucket "lake" {
  account = account.lake
  name    = "konfir-datalake-raw"
  key     = key.lake
}

sync "vendor_feed" {
  source             = bucket.vendor
  destination        = bucket.lake
  transfer           = "stream"
  mode               = "sync"
  source_prefix      = "konfir/"
  destination_prefix = "vendor/"
  concurrency        = 16
  part_size          = "16MiB"
}
