-- Step 2: the processed rides in the GCS lake as an external table, hive-partitioned (dt=.../hour=...).
CREATE OR REPLACE EXTERNAL TABLE `{project}.rides.rides_processed_ext`
WITH PARTITION COLUMNS
OPTIONS (
  format = 'PARQUET',
  uris = ['gs://{bucket}/{prefix}*'],
  hive_partition_uri_prefix = 'gs://{bucket}/{prefix}'
);
