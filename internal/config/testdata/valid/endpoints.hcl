# An endpoint left empty (here by a variable's default) means AWS itself.
variable "endpoint" {
  default     = ""
  description = "An S3-compatible endpoint; empty for AWS."
}

account "aws" {
  id           = "111111111111"
  region       = "eu-west-1"
  endpoint_url = var.endpoint
}

account "regional" {
  id           = "222222222222"
  region       = "eu-west-1"
  endpoint_url = "https://s3.eu-west-1.amazonaws.com"
}

account "minio" {
  id                  = "000000000000"
  region              = "us-east-1"
  endpoint_url        = "http://127.0.0.1:9000"
  s3_force_path_style = true
}
