-- Revenue per (cluster, comfort), as revenue.sql: the files' figures for the model, less the superseded rows (the
-- assignments view over revenue_cache_superseded_view.sql). A cell whose rows are all superseded has no row.
WITH totals AS (
    SELECT cluster_id, comfort, SUM(revenue) AS revenue, SUM(n) AS n
    FROM revenue_cache.file_revenue
    WHERE model = {model}
    GROUP BY 1, 2
),
superseded AS (
    SELECT cluster_id, comfort, SUM(CAST(price_total AS DECIMAL(18, 2))) AS revenue, COUNT(*) AS n
    FROM assignments
    GROUP BY 1, 2
)
SELECT
    t.cluster_id,
    t.comfort,
    CAST(t.revenue - coalesce(s.revenue, 0) AS DECIMAL(38, 2)) AS revenue,
    CAST(t.n - coalesce(s.n, 0) AS BIGINT) AS n
FROM totals AS t
LEFT JOIN superseded AS s ON s.cluster_id = t.cluster_id AND s.comfort IS NOT DISTINCT FROM t.comfort
WHERE t.n - coalesce(s.n, 0) > 0
ORDER BY revenue DESC, t.cluster_id, t.comfort;
