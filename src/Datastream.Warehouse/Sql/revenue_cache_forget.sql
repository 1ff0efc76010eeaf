-- Forgets the files listed (removed from the lake, or replaced: another identity), then the repeated rows whose
-- hash no longer occurs twice, to keep repeated_row small (a lone row there supersedes nothing, so the figures do not
-- depend on it). repeated_row holds all rows of a repeated hash, so a hash down to one row in it is down to one row in
-- row_hash too.
DELETE FROM revenue_cache.row_hash WHERE file_id IN {file_id_set};
DELETE FROM revenue_cache.file_revenue WHERE file_id IN {file_id_set};
DELETE FROM revenue_cache.modelled_file WHERE file_id IN {file_id_set};
DELETE FROM revenue_cache.repeated_row WHERE file_id IN {file_id_set};
DELETE FROM revenue_cache.lake_file WHERE file_id IN {file_id_set};
DELETE FROM revenue_cache.repeated_row
WHERE id_hash IN (SELECT id_hash FROM revenue_cache.repeated_row GROUP BY id_hash HAVING count(*) = 1);
