-- The lake as a typed relation (SPEC §3.6, §3.7), one row per ride_id. Re-created per query over the files listed for
-- it, so new files are seen. A replay of dead letters or a backfill can leave a ride in two files: the row
-- TransformJSON processed last (the latest agent_timestamp, then the later file, then the later row) is the ride, so
-- analytics count each ride once whatever the lake holds (SPEC §4). lake_file and lake_row say which row that is.
--
-- Duplicates are rare, so only rows whose ride_id hash occurs more than once go through the window that picks the
-- latest; every other row is its ride's only row (equal ids have equal hashes; a hash collision of two different ids
-- only sends both through the window, which partitions by the id itself). A window over every row, ordered by the
-- file's path, was 2.5x the CPU on 1M rides and 2.7 GB of memory on 10M. The later file is the higher file_index:
-- the list of files is in path order (lake_files.sql). The lake CTE is read twice rather than materialized: that
-- would hold every row in memory.
CREATE OR REPLACE TEMP VIEW rides AS
WITH lake AS NOT MATERIALIZED (
    SELECT
        hash(ride_id)                    AS id_hash,
        ride_id,
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
        filename,
        file_index,
        file_row_number
    FROM {lake}
),
repeated AS (
    SELECT id_hash FROM lake GROUP BY id_hash HAVING count(*) > 1
),
latest AS (
    SELECT l.* FROM lake AS l ANTI JOIN repeated AS r ON l.id_hash = r.id_hash
    UNION ALL
    SELECT l.* FROM lake AS l SEMI JOIN repeated AS r ON l.id_hash = r.id_hash
    QUALIFY row_number() OVER (PARTITION BY l.ride_id ORDER BY l.agent_timestamp DESC, l.file_index DESC, l.file_row_number DESC) = 1
)
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
FROM latest;
