-- Each ride's origin goes to the nearest centroid in standardized space (SPEC §4). The model's centroids become lists
-- ordered by id; each ride computes its squared distance to every centroid, and list_position finds the FIRST
-- occurrence of the minimum, so ties go to the lower id, as KMeansModel.Assign does. No per-ride grouping is needed
-- (a cross join grouped back by ride was ~1.5x slower on 1M rides, a list of (distance, id) structs too). The
-- arithmetic is written in the same order as the C# so both round identically.
CREATE OR REPLACE TEMP VIEW assignments AS
WITH model AS (
    SELECT
        s.mean_lon,
        s.std_lon,
        s.mean_lat,
        s.std_lat,
        (SELECT list(c.id ORDER BY c.id) FROM centroids AS c) AS ids,
        (SELECT list({'x': c.x, 'y': c.y} ORDER BY c.id) FROM centroids AS c) AS points
    FROM standardization AS s
),
standardized AS (
    SELECT
        r.lake_file,
        r.lake_row,
        r.ride_id,
        r.comfort,
        r.price_total,
        (r.origin_lon - m.mean_lon) / m.std_lon AS x,
        (r.origin_lat - m.mean_lat) / m.std_lat AS y,
        m.ids,
        m.points
    FROM rides AS r
    CROSS JOIN model AS m
),
measured AS (
    SELECT
        p.*,
        list_transform(p.points, lambda c: (p.x - c.x) * (p.x - c.x) + (p.y - c.y) * (p.y - c.y)) AS distances
    FROM standardized AS p
)
SELECT
    d.ride_id,
    d.comfort,
    d.price_total,
    d.ids[list_position(d.distances, list_min(d.distances))] AS cluster_id,
    d.lake_file,
    d.lake_row
FROM measured AS d;
