output "gcs_bucket" {
  description = "Set as GCS_BUCKET."
  value       = google_storage_bucket.lake.name
}

output "bigquery_project" {
  description = "Set as BIGQUERY_PROJECT."
  value       = var.project_id
}

output "bigquery_dataset" {
  description = "The dataset the BigQuery SQL uses."
  value       = google_bigquery_dataset.rides.dataset_id
}

output "bigquery_location" {
  description = "Set as DATASTREAM__BigQuery__Location."
  value       = google_bigquery_dataset.rides.location
}

output "service_account_email" {
  description = "The identity Datastream runs as (Workload Identity, or a key file passed as GOOGLE_APPLICATION_CREDENTIALS)."
  value       = google_service_account.datastream.email
}
