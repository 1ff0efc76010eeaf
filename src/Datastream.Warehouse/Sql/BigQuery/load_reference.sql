-- Step 3: the reference pickups (uber-split2.csv: date,lat,lon,ID) the model is trained on.
LOAD DATA OVERWRITE `{project}.rides.reference_uber` (
  date STRING,
  lat FLOAT64,
  lon FLOAT64,
  ID STRING
)
FROM FILES (
  format = 'CSV',
  skip_leading_rows = 1,
  uris = ['gs://{bucket}/reference/uber-split2.csv']
);
