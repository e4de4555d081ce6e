# Pull: the copier role lives in the Data Lake account and reads from
# Production. The Production bucket is encrypted with its own customer-managed
# key, so the Production bucket policy and key policy grant the role read and
# decrypt; the role's policy grants the rest.

account "prod" {
  id       = "111111111111"
  region   = "eu-west-1"
  role_arn = "arn:aws:iam::111111111111:role/lakesync-admin"
}

account "lake" {
  id       = "222222222222"
  region   = "eu-west-1"
  role_arn = "arn:aws:iam::222222222222:role/lakesync-admin"
}

key "prod" {
  account = account.prod
  arn     = "arn:aws:kms:eu-west-1:111111111111:key/0b7f3c1e-5d6a-4c8e-9f21-3a4b5c6d7e8f"
}

key "lake" {
  account = account.lake
  arn     = "arn:aws:kms:eu-west-1:222222222222:key/7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f"
}

bucket "prod" {
  account = account.prod
  name    = "konfir-prod-data"
  key     = key.prod
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

sync "orders" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  source_prefix      = "orders/"
  destination_prefix = "prod/orders/"
  delete             = true
  part_size          = "128MiB"
}
