account "ops" {
  id     = "333333333333"
  region = "eu-west-1"
}

state {
  backend = "gcs" # ERROR: Unknown state backend
  bucket  = "konfir-lakesync-state" # ERROR: S3 attribute in a local state block
}
