# Starter configuration written by lakesync init from what the profiles
# "a" (account 111111111111) and "a" (account 222222222222) can read.
# Review every TODO, then run lakesync validate and lakesync plan.

# The source account, as profile "a" sees it.
account "source" {
  id      = "111111111111"
  region  = "eu-west-1"
  profile = "a"
}

# The destination account, as profile "a" sees it.
account "destination" {
  id      = "222222222222"
  region  = "eu-west-1"
  profile = "a"
}

# s3://alpha in eu-west-1: no default encryption; versioning never enabled; Object Lock off.
bucket "alpha" {
  account = account.source
  name    = "alpha"
}

# TODO: account 222222222222 has no customer-managed KMS key, and lakesync encrypts what it
# writes with one: create it (aws kms create-key; aws kms create-alias) and name it here.
key "lakesync" {
  account = account.destination
  alias   = "alias/lakesync"
}

# s3://beta in eu-west-1: no default encryption; versioning never enabled; Object Lock off.
# TODO: its default encryption names no customer-managed key of the account; lakesync
# encrypts what it writes with key.lakesync. Confirm, or name another.
bucket "beta" {
  account = account.destination
  name    = "beta"
  key     = key.lakesync
}

# The copier role: every server-side copy runs as it. In the source account
# it pushes (the destination's bucket and key policies grant it); in the
# destination account it pulls (the source's grant it).
# TODO: no candidate role was found (by name: lakesync, copier, copy, sync, replication, replicate; or a trust policy naming
# the other account). Create the role in the account that should run the copy and name it here.
role "copier" {
  account = account.source
  name    = "lakesync-copier"
}

# TODO: a guess: no bucket names share a word, so init paired the first source bucket
# with the destination that looks most like a data lake. Confirm the pair.
sync "alpha_to_beta" {
  source      = bucket.alpha
  destination = bucket.beta
  role        = role.copier
  # TODO: mode: "sync" copies only new or changed objects; "cp" every selected object, every run.
  mode = "sync"
  # TODO: source_prefix: copy only part of the source, e.g. "exports/" (unset: the whole bucket).
  # source_prefix = ""
  # TODO: destination_prefix: where the copies land; jobs into one bucket need prefixes that do not overlap.
  destination_prefix = "alpha/"
}

