-- The lake as a typed relation (SPEC §3.6, §3.7), one row per ride_id. Re-created per query so the glob is expanded
-- again and new files are seen. A replay of dead letters or a backfill can leave a ride in two files: the row
-- TransformJSON processed last (the latest agent_timestamp, then the later file) is the ride, so analytics count each
-- ride once whatever the lake holds (SPEC §4). lake_file and lake_row say which row that is.
CREATE OR REPLACE TEMP VIEW rides AS
SELECT
    CAST(ride_id AS UUID)            AS ride_id,
    ts,
    comfort,
    origin_lat,
    origin_lon,
    destination_lat,
    destination_lon,
    duration_min,
    price_base,
    price_per_km,
    price_per_min,
    distance_km,
    price_total,
    agent_timestamp,
    year,
    month,
    day,
    hour,
    filename                         AS lake_file,
    file_row_number                  AS lake_row
FROM read_parquet(
    '{lake_glob}',
    hive_partitioning = true,
    hive_types = {'year': INT, 'month': INT, 'day': INT, 'hour': INT},
    union_by_name = true,
    filename = true,
    file_row_number = true)
QUALIFY row_number() OVER (PARTITION BY ride_id ORDER BY agent_timestamp DESC, filename DESC, file_row_number DESC) = 1;
