-- Every row of the files listed whose (file, id_hash) is in missing_repeats (a temporary table of revenue_cache_missing_repeats.sql), read again from the
-- lake with what picking a ride's latest row needs (the ride_id itself: equal hashes of different ids stay apart).
INSERT INTO revenue_cache.repeated_row
SELECT p.lake_file, p.lake_row, p.id_hash, p.ride_id, p.agent_timestamp, p.comfort, p.price_total, p.origin_lat, p.origin_lon
FROM (
    SELECT
        {file_ids}[CAST(file_index AS BIGINT) + 1]   AS lake_file,
        file_row_number              AS lake_row,
        hash(ride_id)                AS id_hash,
        ride_id,
        agent_timestamp,
        comfort,
        price_total,
        origin_lat,
        origin_lon
    FROM {lake}
) AS p
SEMI JOIN missing_repeats AS m ON m.file_id = p.lake_file AND m.id_hash = p.id_hash;
