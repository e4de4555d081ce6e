account "ops" {
  id     = "333333333333"
  region = "eu-west-1"
}

state {
  backend = "s3"
  bucket  = "konfir-lakesync-state"
  key     = "/lakesync/prod.state" # ERROR: Invalid state key
  account = account.opps # ERROR: Reference to undeclared account
}
