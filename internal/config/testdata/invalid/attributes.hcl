account "prod" { # ERROR: Missing required argument
  id     = "11111111111" # ERROR: Invalid account id
  regoin = "eu-west-1" # ERROR: Unsupported argument
}

account "lake" {
  id       = 222222222222
  region   = "eu-west-1"
  role_arn = "arn:aws:iam::333333333333:role/admin" # ERROR: Role in another account
}

buckets "x" { # ERROR: Unsupported block type
}

account "lake" { # ERROR: Duplicate account block
  id     = "222222222222"
  region = "EU west" # ERROR: Invalid region
}
