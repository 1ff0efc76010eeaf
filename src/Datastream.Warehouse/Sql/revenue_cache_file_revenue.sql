-- One file's figures for one model, over every row of it, summed exactly as revenue.sql sums them. The rides view is
-- lake_rows_view.sql over the files lacking figures for the model.
INSERT INTO revenue_cache.file_revenue
SELECT lake_file, {model}, cluster_id, comfort, SUM(CAST(price_total AS DECIMAL(18, 2))), COUNT(*)
FROM assignments
GROUP BY lake_file, cluster_id, comfort;
