INSERT INTO standardization (mean_lon, std_lon, mean_lat, std_lat) VALUES ($mean_lon, $std_lon, $mean_lat, $std_lat);
