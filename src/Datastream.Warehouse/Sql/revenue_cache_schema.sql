-- The revenue cache (RevenueCache): what the revenue needs from each lake file, computed once per file and kept in
-- <data-dir>/analytics/revenue-cache.duckdb, attached as revenue_cache. Lake files are immutable once published, so a
-- file's figures hold while its identity (path, size, modification time) does; a replaced file has another identity.
--
-- cache_format: one row naming this layout, the DuckDB version (hash() may change between versions) and the SQL.
CREATE TABLE IF NOT EXISTS revenue_cache.cache_format (format VARCHAR NOT NULL);
-- The lake files the cache holds, by identity.
CREATE TABLE IF NOT EXISTS revenue_cache.lake_file (file_id BIGINT NOT NULL, path VARCHAR NOT NULL, size BIGINT NOT NULL, modified_ticks BIGINT NOT NULL);
-- hash(ride_id) of every row of every file: how a new file's rides are found again in older files (8 bytes a row).
CREATE TABLE IF NOT EXISTS revenue_cache.row_hash (file_id BIGINT NOT NULL, id_hash UBIGINT NOT NULL);
-- Per file and model: ride count and exact revenue per (cluster, comfort) over every row of the file.
CREATE TABLE IF NOT EXISTS revenue_cache.file_revenue (file_id BIGINT NOT NULL, model VARCHAR NOT NULL, cluster_id INTEGER NOT NULL, comfort VARCHAR, revenue DECIMAL(38, 2), n BIGINT NOT NULL);
-- Which files have their file_revenue for which model (a file may have no rows, hence no file_revenue rows).
CREATE TABLE IF NOT EXISTS revenue_cache.modelled_file (file_id BIGINT NOT NULL, model VARCHAR NOT NULL);
-- When each model was last asked for: figures of models long unused are dropped.
CREATE TABLE IF NOT EXISTS revenue_cache.model_use (model VARCHAR NOT NULL, last_used BIGINT NOT NULL);
-- Every row whose id_hash occurs more than once in row_hash, with what picking its ride's latest row needs.
CREATE TABLE IF NOT EXISTS revenue_cache.repeated_row (
    file_id BIGINT NOT NULL,
    lake_row BIGINT NOT NULL,
    id_hash UBIGINT NOT NULL,
    ride_id VARCHAR,
    agent_timestamp TIMESTAMPTZ,
    comfort VARCHAR,
    price_total DOUBLE,
    origin_lat DOUBLE,
    origin_lon DOUBLE);
