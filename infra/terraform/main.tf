# The GCP side of Datastream's distributed engines: the Parquet lake (GCS), the warehouse dataset (BigQuery) and one
# service account with only what the pipelines and the warehouse use. Not applied on the development machine (no
# cloud access there); see README.md.

resource "google_storage_bucket" "lake" {
  name          = var.bucket_name
  location      = var.location
  force_destroy = var.force_destroy

  # Access through IAM only, no per-object ACLs, never public.
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  dynamic "lifecycle_rule" {
    for_each = var.lake_retention_days > 0 ? [var.lake_retention_days] : []
    content {
      condition {
        age = lifecycle_rule.value
      }
      action {
        type = "Delete"
      }
    }
  }

  labels = {
    app = "datastream"
  }
}

resource "google_bigquery_dataset" "rides" {
  # Fixed: the SQL in src/Datastream.Warehouse/Sql/BigQuery/ names the dataset `rides`.
  dataset_id  = "rides"
  location    = var.location
  description = "Datastream rides: external table over the GCS lake, reference pickups, KMeans model (BigQuery ML)."

  labels = {
    app = "datastream"
  }
}

resource "google_service_account" "datastream" {
  account_id   = var.service_account_id
  display_name = "Datastream pipelines and warehouse"
}

# The lake lists a partition's files, reads them, uploads new ones, rewrites a file of the same name when a batch is
# replayed, and deletes the files of a flush whose offsets were never committed. objectCreator + objectViewer would
# cover list, read and create, but neither allows delete, and replacing an existing object needs delete too; so a
# custom role holds exactly these four permissions (roles/storage.objectUser would also work, with update and restore
# on top).
resource "google_project_iam_custom_role" "lake_writer" {
  role_id     = "datastreamLakeWriter"
  title       = "Datastream lake writer"
  description = "List, read, create and delete objects: what the Datastream Parquet lake does."
  permissions = [
    "storage.objects.list",
    "storage.objects.get",
    "storage.objects.create",
    "storage.objects.delete",
  ]
}

resource "google_storage_bucket_iam_member" "lake_writer" {
  bucket = google_storage_bucket.lake.name
  role   = google_project_iam_custom_role.lake_writer.id
  member = "serviceAccount:${google_service_account.datastream.email}"
}

# Tables, the external table and the model live in the dataset: create, replace and read them there only.
resource "google_bigquery_dataset_iam_member" "data_editor" {
  dataset_id = google_bigquery_dataset.rides.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "serviceAccount:${google_service_account.datastream.email}"
}

# Running a query (jobs.query / jobs.insert) is a project-level permission.
resource "google_project_iam_member" "job_user" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.datastream.email}"
}
