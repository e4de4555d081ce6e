account "ops" {
  id     = "333333333333"
  region = "eu-west-1"
}

state { # ERROR: Incomplete S3 state block
  backend = "s3"
  bucket  = "Konfir_State" # ERROR: Invalid bucket name
  path    = ".lakesync/state" # ERROR: Path in an S3 state block
}
