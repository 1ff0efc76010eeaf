DELETE FROM centroids;
DELETE FROM standardization;
