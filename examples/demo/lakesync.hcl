# The demo: Production pushes exports into the Data Lake, on a local
# two-account AWS (moto_server). `make demo` starts the server, creates the
# accounts, buckets, key and role, and runs plan, apply and plan again.
# Against real AWS, drop endpoint_url and s3_force_path_style.

variable "endpoint" {
  description = "The local AWS endpoint (moto_server); make demo sets it."
  default     = "http://127.0.0.1:5000"
}

account "prod" {
  id                  = "111111111111"
  region              = "eu-west-1"
  profile             = "prod"
  endpoint_url        = var.endpoint
  s3_force_path_style = true
}

account "lake" {
  id                  = "222222222222"
  region              = "eu-west-1"
  profile             = "lake"
  endpoint_url        = var.endpoint
  s3_force_path_style = true
}

key "lake" {
  account = account.lake
  alias   = "alias/datalake"
}

bucket "prod" {
  account = account.prod
  name    = "konfir-prod-data"
}

bucket "lake" {
  account = account.lake
  name    = "konfir-datalake-raw"
  key     = key.lake
}

role "copier" {
  account = account.prod
  name    = "lakesync-copier"
}

sync "prod_to_lake" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  source_prefix      = "exports/"
  destination_prefix = "prod/"
  include            = ["**/*.parquet"]
  concurrency        = 16
}

state {
  path = ".lakesync/demo.state"
}
