-- Each ride's origin goes to the nearest centroid in standardized space (SPEC §4). The minimum of the struct
-- (distance, id) breaks ties towards the lower id, as KMeansModel.Assign does; the arithmetic is written in the same
-- order as the C# so both round identically.
CREATE OR REPLACE TEMP VIEW assignments AS
WITH standardized AS (
    SELECT
        r.lake_file,
        r.lake_row,
        r.ride_id,
        r.comfort,
        r.price_total,
        (r.origin_lon - s.mean_lon) / s.std_lon AS x,
        (r.origin_lat - s.mean_lat) / s.std_lat AS y
    FROM rides AS r
    CROSS JOIN standardization AS s
)
SELECT
    any_value(p.ride_id)     AS ride_id,
    any_value(p.comfort)     AS comfort,
    any_value(p.price_total) AS price_total,
    min({'distance': (p.x - c.x) * (p.x - c.x) + (p.y - c.y) * (p.y - c.y), 'id': c.id}).id AS cluster_id,
    p.lake_file,
    p.lake_row
FROM standardized AS p
CROSS JOIN centroids AS c
GROUP BY p.lake_file, p.lake_row;
