# endpoint_url is an http or https URL with a host.
account "ftp" {
  id           = "111111111111"
  region       = "eu-west-1"
  endpoint_url = "ftp://s3.example.com" # ERROR: Invalid endpoint URL
}

account "bare" {
  id           = "222222222222"
  region       = "eu-west-1"
  endpoint_url = "s3.eu-west-1.amazonaws.com" # ERROR: Invalid endpoint URL
}

account "nohost" {
  id           = "333333333333"
  region       = "eu-west-1"
  endpoint_url = "https:///konfir-prod" # ERROR: Invalid endpoint URL
}

account "unparsable" {
  id           = "444444444444"
  region       = "eu-west-1"
  endpoint_url = "http://[::1" # ERROR: Invalid endpoint URL
}
