-- The lake's files, listed once per query and in byte order of their paths: read_parquet gets this list, so a file's
-- position in it (file_index) orders files as their names do, and read_parquet never fails on a glob matching nothing
-- (an empty lake is no query at all). Files still being written are hidden temporaries ending in .tmp: never listed.
SELECT file FROM glob('{lake_glob}') ORDER BY file;
