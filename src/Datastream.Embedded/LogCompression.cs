namespace Datastream.Embedded;

/// <summary>
/// How the embedded log compresses each batch row's records (Log:Compression), as Kafka compresses record batches.
/// The value is stored with every batch (its codec column), so changing the setting affects new batches only and a
/// log may mix codecs; readers decode each batch by its own codec. The numbers are that column's values: never
/// renumber them.
/// </summary>
public enum LogCompression
{
    /// <summary>Records stored as encoded: the largest file, no codec work.</summary>
    None = 0,

    /// <summary>LZ4 block (fast level): the fastest to decompress, about 5x on ride records.</summary>
    Lz4 = 1,

    /// <summary>zstd at level 1 (the default): about 9x on ride records, slower than LZ4 to decompress.</summary>
    Zstd = 2,
}
