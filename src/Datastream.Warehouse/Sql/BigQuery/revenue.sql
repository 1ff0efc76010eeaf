-- Revenue per (cluster of the ride's origin, comfort) over the whole lake, each ride once: a replay or a backfill can
-- leave a ride in two files, and the row processed last (the latest agent_timestamp) is the one counted (SPEC §4).
SELECT
  CENTROID_ID AS cluster_id,
  comfort,
  SUM(ROUND(CAST(price_total AS NUMERIC), 2)) AS revenue, -- money in cents, summed exactly (NUMERIC), as DuckDB does
  COUNT(*) AS n
FROM ML.PREDICT(
  MODEL `{project}.rides.kmeans8`,
  (
    SELECT origin_lon AS lon, origin_lat AS lat, comfort, price_total
    FROM `{project}.rides.rides_processed_ext`
    WHERE TRUE -- BigQuery accepts QUALIFY only beside a WHERE, GROUP BY or HAVING
    QUALIFY ROW_NUMBER() OVER (PARTITION BY ride_id ORDER BY agent_timestamp DESC) = 1
  )
)
GROUP BY 1, 2
ORDER BY revenue DESC;
