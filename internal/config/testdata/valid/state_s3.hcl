account "ops" {
  id     = "333333333333"
  region = "eu-west-1"
}

key "ops" {
  account = account.ops
  alias   = "alias/lakesync-state"
}

bucket "state" {
  account = account.ops
  name    = "konfir-lakesync-state"
  key     = key.ops
}

state {
  backend = "s3"
  bucket  = "konfir-lakesync-state"
  key     = "lakesync/prod.state"
  account = account.ops
}
