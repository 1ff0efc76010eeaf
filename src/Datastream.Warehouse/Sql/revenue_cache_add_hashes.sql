-- hash(ride_id) of every row of the files being added, the same hash rides_view.sql finds repeated rides by.
INSERT INTO revenue_cache.row_hash
SELECT {file_ids}[CAST(file_index AS BIGINT) + 1], hash(ride_id)
FROM {lake};
