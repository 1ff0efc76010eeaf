-- The (file, id_hash) pairs whose rows repeated_row lacks after files were added: hashes of the
-- new rows that now occur more than once, in every file holding them, but for the pairs repeated_row has already.
-- The candidates are the set of hashes to look at: those of the new files, or (when every file is new) all of them.
WITH repeated AS (
    SELECT id_hash
    FROM revenue_cache.row_hash
    WHERE {candidates}
    GROUP BY id_hash
    HAVING count(*) > 1
)
SELECT DISTINCT h.file_id, h.id_hash
FROM revenue_cache.row_hash AS h
SEMI JOIN repeated AS r ON h.id_hash = r.id_hash
ANTI JOIN revenue_cache.repeated_row AS k ON k.file_id = h.file_id AND k.id_hash = h.id_hash
