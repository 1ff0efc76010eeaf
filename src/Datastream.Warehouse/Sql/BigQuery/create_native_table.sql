-- Optional, low latency: a native table partitioned by hour, loaded from the lake. Queries on it skip the
-- per-query GCS scan of the external table; re-run (or schedule) it to refresh.
CREATE OR REPLACE TABLE `{project}.rides.rides_processed`
PARTITION BY TIMESTAMP_TRUNC(ts, HOUR)
AS
SELECT * FROM `{project}.rides.rides_processed_ext`;
