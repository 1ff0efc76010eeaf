-- Revenue per (cluster, comfort), SPEC §4; cluster and comfort order ties so the report is stable. Money in cents:
-- each price_total (a double holding a price in cents, as ComputeCostTravel rounds it) is cast to DECIMAL(18,2), which
-- rounds it to its nearest cent, and the sum of decimals is exact (DECIMAL(38,2)): no float noise, whatever the order.
SELECT cluster_id, comfort, SUM(CAST(price_total AS DECIMAL(18, 2))) AS revenue, COUNT(*) AS n
FROM assignments
GROUP BY 1, 2
ORDER BY revenue DESC, cluster_id, comfort;
