SELECT ride_id, cluster_id
FROM assignments
ORDER BY lake_file, lake_row;
