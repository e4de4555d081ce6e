# Several jobs in one reviewed file, one file for every environment:
#   lakesync plan --var env=staging
#   LAKESYNC_VAR_env=production lakesync apply

variable "env" {
  description = "The Production environment to copy from: staging or production."
  default     = "staging"
}

variable "prod_account_id" {
  description = "The account id of that environment."
  default     = "111111111111"
}

account "prod" {
  id      = var.prod_account_id
  region  = "eu-west-1"
  profile = "${var.env}-admin"
}

account "lake" {
  id      = "222222222222"
  region  = "eu-west-1"
  profile = "datalake-admin"
}

key "lake" {
  account = account.lake
  alias   = "alias/datalake-${var.env}"
}

bucket "app" {
  account = account.prod
  name    = "konfir-${var.env}-app"
}

bucket "logs" {
  account = account.prod
  name    = "konfir-${var.env}-logs"
}

bucket "lake" {
  account = account.lake
  name    = "konfir-datalake-${var.env}"
  key     = key.lake
}

role "copier" {
  account = account.prod
  name    = "lakesync-copier"
}

sync "app_exports" {
  source             = bucket.app
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  source_prefix      = "exports/"
  destination_prefix = "app/"
  include            = ["**/*.parquet", "**/_SUCCESS"]
}

sync "access_logs" {
  source             = bucket.logs
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  destination_prefix = "logs/"
  delete             = true
  storage_class      = "STANDARD_IA"
}

sync "ml_snapshot" {
  source              = bucket.app
  destination         = bucket.lake
  role                = role.copier
  mode                = "cp"
  source_prefix       = "models/"
  destination_prefix  = "models/"
  multipart_threshold = "512MiB"
  part_size           = "64MiB"
  concurrency         = 32
}

state {
  path = ".lakesync/${var.env}.state"
}
