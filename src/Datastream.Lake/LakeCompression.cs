namespace Datastream.Lake;

/// <summary>Page compression of the lake's Parquet files; both are read by DuckDB, BigQuery and Spark.</summary>
public enum LakeCompression
{
    /// <summary>Fast to write and read, the usual lake default.</summary>
    Snappy,

    /// <summary>Smaller files for a little more CPU.</summary>
    Zstd,
}
