-- Each ride's origin goes to the nearest centroid in standardized space (SPEC §4). NearestCentroidSql fills in the
-- model: one distance column per centroid, as fixed arithmetic on the model's numbers (a list lambda over the
-- centroids per ride was 1.7x the CPU), and the first centroid in id order whose distance is the least, so ties go
-- to the lower id as KMeansModel.Assign does. The arithmetic is written in the same order as the C# so both round
-- identically.
CREATE OR REPLACE TEMP VIEW assignments AS
WITH standardized AS (
    SELECT
        r.ride_id,
        r.comfort,
        r.price_total,
        r.lake_file,
        r.lake_row,
        {x} AS x,
        {y} AS y
    FROM rides AS r
),
measured AS (
    SELECT
        s.*,
        {distances}
    FROM standardized AS s
)
SELECT
    d.ride_id,
    d.comfort,
    d.price_total,
    {cluster_id} AS cluster_id,
    d.lake_file,
    d.lake_row
FROM measured AS d;
