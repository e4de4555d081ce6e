# Starter configuration written by lakesync init from what the profiles
# "prod" (account 111111111111) and "lake" (account 222222222222) can read.
# Review every TODO, then run lakesync validate and lakesync plan.

# The source account, as profile "prod" sees it (arn:aws:iam::111111111111:user/admin).
account "prod" {
  id      = "111111111111"
  region  = "eu-west-1"
  profile = "prod"
}

# The destination account, as profile "lake" sees it (arn:aws:iam::222222222222:role/admin).
account "lake" {
  id      = "222222222222"
  region  = "eu-west-1"
  profile = "lake"
}

# Customer-managed key arn:aws:kms:eu-west-1:111111111111:key/1111aaaa-0000-0000-0000-000000000000.
key "key_1111aaaa" {
  account = account.prod
  arn     = "arn:aws:kms:eu-west-1:111111111111:key/1111aaaa-0000-0000-0000-000000000000"
}

# s3://acme-clicks in eu-west-1: default encryption aws:kms with key arn:aws:kms:eu-west-1:111111111111:key/1111aaaa-0000-0000-0000-000000000000; versioning Enabled; Object Lock off.
bucket "acme_clicks" {
  account = account.prod
  name    = "acme-clicks"
  key     = key.key_1111aaaa
}

# s3://acme-orders in us-east-1: default encryption SSE-S3; versioning never enabled; Object Lock off.
bucket "acme_orders" {
  account = account.prod
  name    = "acme-orders"
  region  = "us-east-1"
}

# Other buckets of account 111111111111, in no job: scratch.
# TODO: to copy one, add a bucket block and a sync block for it.

# Customer-managed key arn:aws:kms:eu-west-1:222222222222:key/7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f (alias/lake).
key "lake" {
  account = account.lake
  alias   = "alias/lake"
}

# s3://acme-lake-orders in eu-west-1: default encryption aws:kms with key arn:aws:kms:eu-west-1:222222222222:key/7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f; versioning never enabled; Object Lock off.
bucket "acme_lake_orders" {
  account = account.lake
  name    = "acme-lake-orders"
  key     = key.lake
}

# Other buckets of account 222222222222, in no job: acme-archive, acme-lake-raw.
# TODO: to copy one, add a bucket block and a sync block for it.

# The copier role: every server-side copy runs as it. In the source account
# it pushes (the destination's bucket and key policies grant it); in the
# destination account it pulls (the source's grant it).
# TODO: topology (push or pull) and role: init chose the first candidate; confirm or pick another:
#   arn:aws:iam::222222222222:role/ingest in account 222222222222: its trust policy names account 111111111111
role "copier" {
  account = account.lake
  name    = "ingest"
}

# Paired because both bucket names have "acme".
sync "acme_clicks_to_acme_lake_orders" {
  source      = bucket.acme_clicks
  destination = bucket.acme_lake_orders
  role        = role.copier
  # TODO: mode: "sync" copies only new or changed objects; "cp" every selected object, every run.
  mode = "sync"
  # TODO: source_prefix: copy only part of the source, e.g. "exports/" (unset: the whole bucket).
  # source_prefix = ""
  # TODO: destination_prefix: where the copies land; jobs into one bucket need prefixes that do not overlap.
  destination_prefix = "acme-clicks/"
}

# Paired because both bucket names have "acme" and "orders".
sync "acme_orders_to_acme_lake_orders" {
  source      = bucket.acme_orders
  destination = bucket.acme_lake_orders
  role        = role.copier
  # TODO: mode: "sync" copies only new or changed objects; "cp" every selected object, every run.
  mode = "sync"
  # TODO: source_prefix: copy only part of the source, e.g. "exports/" (unset: the whole bucket).
  # source_prefix = ""
  # TODO: destination_prefix: where the copies land; jobs into one bucket need prefixes that do not overlap.
  destination_prefix = "acme-orders/"
}

