SELECT comfort, SUM(price_total) AS revenue, COUNT(*) AS n
FROM rides
GROUP BY 1
ORDER BY revenue DESC, comfort;
