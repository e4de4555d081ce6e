# Block names must be usable in references: letters, digits, '_' and '-',
# starting with a letter. Each error suggests a name that is.
account "prod" {
  id     = "111111111111"
  region = "eu-west-1"
}

role "a.b" { # ERROR: Invalid block name
  account = account.prod
  name    = "r1"
}

role "z.b" { # ERROR: Invalid block name
  account = account.prod
  name    = "r2"
}

role "A.b" { # ERROR: Invalid block name
  account = account.prod
  name    = "r3"
}

role "Z.b" { # ERROR: Invalid block name
  account = account.prod
  name    = "r4"
}

role "9_-0.x" { # ERROR: Invalid block name
  account = account.prod
  name    = "r5"
}

role "" { # ERROR: Invalid block name
  account = account.prod
  name    = "r6"
}

role "données" { # ERROR: Invalid block name
  account = account.prod
  name    = "r7"
}

key "lake" {
  account = account.prod
  alias   = "alias/lake"
}

bucket "prod" {
  account = account.prod
  name    = "konfir-prod"
}

bucket "lake" {
  account = account.prod
  name    = "konfir-lake"
  key     = key.lake
}

# A job name without a letter or digit cannot name policy statements.
sync "__" { # ERROR: Invalid block name # ERROR: Invalid job name
  source      = bucket.prod
  destination = bucket.lake
  mode        = "sync"
}
