account "ops" {
  id     = "333333333333"
  region = "eu-west-1"
}

state {
  path    = ".lakesync/state"
  key     = "lakesync/prod.state" # ERROR: S3 attribute in a local state block
  account = account.ops # ERROR: S3 attribute in a local state block
}
