variable "project_id" {
  description = "GCP project that holds the lake bucket, the BigQuery dataset and the service account (BIGQUERY_PROJECT)."
  type        = string
}

variable "region" {
  description = "Default region of the provider."
  type        = string
  default     = "us-central1"
}

variable "location" {
  description = "Location of the bucket and of the dataset. They must match: a BigQuery external table reads a bucket in the dataset's location (BigQuery:Location, default US)."
  type        = string
  default     = "US"
}

variable "bucket_name" {
  description = "Name of the lake bucket (GCS_BUCKET); globally unique."
  type        = string
}

variable "service_account_id" {
  description = "Account id (the part before @) of the service account Datastream runs as."
  type        = string
  default     = "datastream"
}

variable "lake_retention_days" {
  description = "Delete lake files older than this many days; 0 keeps them forever."
  type        = number
  default     = 0

  validation {
    condition     = var.lake_retention_days >= 0
    error_message = "lake_retention_days must be 0 (keep) or a positive number of days."
  }
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete a bucket that still holds lake files (for throw-away environments only)."
  type        = bool
  default     = false
}
