# One account, two buckets: a server-side job needs no role, it copies
# with the account's own credentials (S3-compatible stores have no STS).
account "store" {
  id                  = "000000000000"
  region              = "us-east-1"
  endpoint_url        = "http://127.0.0.1:9000"
  s3_force_path_style = true
}

key "store" {
  account = account.store
  arn     = "arn:aws:kms:us-east-1:000000000000:key/store-key"
}

bucket "raw" {
  account = account.store
  name    = "raw"
}

bucket "lake" {
  account = account.store
  name    = "lake"
  key     = key.store
}

sync "raw_to_lake" {
  source      = bucket.raw
  destination = bucket.lake
  mode        = "sync"
}

state { path = "lakesync.state" }
