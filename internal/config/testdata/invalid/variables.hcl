variable "env" { # ERROR: No value for required variable
}

account "prod" {
  id     = "111111111111"
  region = "eu-west-1"
}

bucket "prod" {
  account = account.prod
  name    = "x-${var.evn}" # ERROR: Unsupported attribute
}
