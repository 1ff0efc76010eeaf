-- The rows counted in the files' figures that are not their ride's row (SPEC §4): among the rows of one ride_id, all
-- but the latest by rides_view.sql's order (the latest agent_timestamp, then the later file in path order, then the
-- later row). Only repeated rows can be superseded. As the rides view of assignments_view.sql.
CREATE OR REPLACE TEMP VIEW rides AS
SELECT
    r.ride_id,
    r.comfort,
    r.origin_lat,
    r.origin_lon,
    r.price_total,
    r.file_id                        AS lake_file,
    r.lake_row
FROM revenue_cache.repeated_row AS r
JOIN revenue_cache.lake_file AS f ON f.file_id = r.file_id
QUALIFY row_number() OVER (PARTITION BY r.ride_id ORDER BY r.agent_timestamp DESC, f.path DESC, r.lake_row DESC) > 1;
