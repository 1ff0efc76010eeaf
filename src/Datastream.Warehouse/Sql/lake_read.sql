-- The listed lake files as every warehouse query over them reads them: hive partition columns typed, files of older
-- and newer column sets side by side (union_by_name), and where each row comes from (filename; file_index, its
-- file's position in the list; file_row_number). No placeholder may stand in these comments: they are substituted.
read_parquet(
    {lake_files},
    hive_partitioning = true,
    hive_types = {'year': INT, 'month': INT, 'day': INT, 'hour': INT},
    union_by_name = true,
    filename = true,
    file_row_number = true)
