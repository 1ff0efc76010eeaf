-- Every row of the lake files listed, as they are (no row dropped): what the revenue cache computes a file's figures
-- from. lake_file is the file's id in the cache (file_ids lists them in the order of lake_files); the columns are
-- those assignments_view.sql reads.
CREATE OR REPLACE TEMP VIEW rides AS
SELECT
    ride_id,
    comfort,
    origin_lat,
    origin_lon,
    price_total,
    {file_ids}[CAST(file_index AS BIGINT) + 1]       AS lake_file,
    file_row_number                  AS lake_row
FROM {lake};
