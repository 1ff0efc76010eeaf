-- Money in cents, summed exactly as in revenue.sql.
SELECT comfort, SUM(CAST(price_total AS DECIMAL(18, 2))) AS revenue, COUNT(*) AS n
FROM rides
GROUP BY 1
ORDER BY revenue DESC, comfort;
