# Starter configuration written by lakesync init from what the profiles
# "prod" (account 111111111111) and "lake" (account 222222222222) can read.
# Review every TODO, then run lakesync validate and lakesync plan.

# The source account, as profile "prod" sees it (arn:aws:iam::111111111111:user/admin).
account "prod" {
  id      = "111111111111"
  region  = "eu-west-1"
  profile = "prod"
}

# The destination account, as profile "lake" sees it (arn:aws:iam::222222222222:user/admin).
account "lake" {
  id      = "222222222222"
  region  = "eu-west-1"
  profile = "lake"
  # The profile's endpoint: a local or S3-compatible store. Remove both lines for AWS.
  endpoint_url        = "http://127.0.0.1:5000"
  s3_force_path_style = true
}

# s3://konfir-prod-data in eu-west-1: no default encryption; versioning never enabled; Object Lock off.
bucket "konfir_prod_data" {
  account = account.prod
  name    = "konfir-prod-data"
}

# Customer-managed key arn:aws:kms:eu-west-1:222222222222:key/7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f (alias/datalake).
key "datalake" {
  account = account.lake
  alias   = "alias/datalake"
}

# s3://konfir-datalake-raw in eu-west-1: no default encryption; versioning never enabled; Object Lock off.
# TODO: its default encryption names no customer-managed key of the account; lakesync
# encrypts what it writes with key.datalake. Confirm, or name another.
bucket "konfir_datalake_raw" {
  account = account.lake
  name    = "konfir-datalake-raw"
  key     = key.datalake
}

# The copier role: every server-side copy runs as it. In the source account
# it pushes (the destination's bucket and key policies grant it); in the
# destination account it pulls (the source's grant it).
# TODO: topology (push or pull) and role: init chose the first candidate; confirm or pick another:
#   arn:aws:iam::111111111111:role/lakesync-copier in account 111111111111: its name has "lakesync"
role "copier" {
  account = account.prod
  name    = "lakesync-copier"
}

# Paired because both bucket names have "konfir".
sync "konfir_prod_data_to_konfir_datalake_raw" {
  source      = bucket.konfir_prod_data
  destination = bucket.konfir_datalake_raw
  role        = role.copier
  # TODO: mode: "sync" copies only new or changed objects; "cp" every selected object, every run.
  mode = "sync"
  # TODO: source_prefix: copy only part of the source, e.g. "exports/" (unset: the whole bucket).
  # source_prefix = ""
  # TODO: destination_prefix: where the copies land; jobs into one bucket need prefixes that do not overlap.
  destination_prefix = "konfir-prod-data/"
}

