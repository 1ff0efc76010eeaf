-- Revenue per (cluster of the ride's origin, comfort) over the whole lake.
SELECT
  CENTROID_ID AS cluster_id,
  comfort,
  SUM(price_total) AS revenue,
  COUNT(*) AS n
FROM ML.PREDICT(
  MODEL `{project}.rides.kmeans8`,
  (SELECT origin_lon AS lon, origin_lat AS lat, comfort, price_total FROM `{project}.rides.rides_processed_ext`)
)
GROUP BY 1, 2
ORDER BY revenue DESC;
