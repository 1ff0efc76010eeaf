-- read_parquet fails when its glob matches nothing: an empty lake is checked first. Files still being written are
-- hidden temporaries ending in .tmp, so they never match.
SELECT count(*) FROM glob('{lake_glob}');
