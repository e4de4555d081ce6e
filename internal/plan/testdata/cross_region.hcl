# Push into a Data Lake bucket in us-east-1, from Production in eu-west-1.
# The Data Lake account's other resources are in eu-west-1.

account "prod" {
  id      = "111111111111"
  region  = "eu-west-1"
  profile = "prod"
}

account "lake" {
  id      = "222222222222"
  region  = "eu-west-1"
  profile = "datalake"
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
  region  = "us-east-1"
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
  exclude            = ["tmp/**"]
}
