# S3 Inventory as the source listing: the Production bucket is too large to
# list on every run, so the daily S3 Inventory report of it, delivered to a
# bucket of its own, is the source listing. The copier role lives in the
# Data Lake account (pull): the inventory bucket's policy grants it the
# reports, as the source bucket's policy grants it the objects.

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

key "lake" {
  account = account.lake
  arn     = "arn:aws:kms:eu-west-1:222222222222:key/7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f"
}

bucket "prod" {
  account = account.prod
  name    = "konfir-prod-data"
}

# Where S3 Inventory delivers the reports of konfir-prod-data (same region).
bucket "prod_inventory" {
  account = account.prod
  name    = "konfir-prod-inventory"
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
  mode               = "sync"
  source_prefix      = "events/"
  destination_prefix = "prod/events/"
  delete             = true
  # The newest complete report under this prefix is the source listing.
  source_inventory = "s3://konfir-prod-inventory/reports/"
}
