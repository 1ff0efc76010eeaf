-- Revenue per (cluster, comfort), SPEC §4; cluster and comfort order ties so the report is stable.
SELECT cluster_id, comfort, SUM(price_total) AS revenue, COUNT(*) AS n
FROM assignments
GROUP BY 1, 2
ORDER BY revenue DESC, cluster_id, comfort;
