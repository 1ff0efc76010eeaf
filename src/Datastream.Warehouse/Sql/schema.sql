-- The model, reloaded before each query: the standardization it was trained in and its centroids, with the
-- centroids' standardized coordinates computed once by the C# side so the SQL compares like with like.
CREATE TABLE standardization (
    mean_lon DOUBLE NOT NULL,
    std_lon  DOUBLE NOT NULL,
    mean_lat DOUBLE NOT NULL,
    std_lat  DOUBLE NOT NULL
);

CREATE TABLE centroids (
    id  INTEGER PRIMARY KEY,
    lat DOUBLE NOT NULL,
    lon DOUBLE NOT NULL,
    x   DOUBLE NOT NULL,
    y   DOUBLE NOT NULL
);
