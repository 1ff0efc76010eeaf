INSERT INTO centroids (id, lat, lon, x, y) VALUES ($id, $lat, $lon, $x, $y);
