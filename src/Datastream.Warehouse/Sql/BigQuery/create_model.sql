-- Step 4: KMeans over (lon, lat), k = 8, k-means++ init, z-score standardized features.
CREATE OR REPLACE MODEL `{project}.rides.kmeans8`
OPTIONS (
  MODEL_TYPE = 'KMEANS',
  NUM_CLUSTERS = 8,
  KMEANS_INIT_METHOD = 'KMEANS++',
  STANDARDIZE_FEATURES = TRUE
) AS
SELECT lon, lat FROM `{project}.rides.reference_uber`;
