namespace Datastream.Embedded.Tests;

/// <summary>The contract of the log port on a log storing its batches uncompressed.</summary>
public sealed class UncompressedLogContractTests : SqliteLogContractTests
{
    protected override LogCompression Compression => LogCompression.None;
}

/// <summary>The contract of the log port on a log compressing its batches with zstd.</summary>
public sealed class ZstdLogContractTests : SqliteLogContractTests
{
    protected override LogCompression Compression => LogCompression.Zstd;
}
