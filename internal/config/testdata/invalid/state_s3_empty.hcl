state { # ERROR: Incomplete S3 state block
  backend = "s3"
}
