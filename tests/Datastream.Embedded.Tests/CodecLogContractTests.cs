namespace Datastream.Embedded.Tests;

/// <summary>The contract of the log port on a log storing its batches uncompressed.</summary>
public sealed class UncompressedLogContractTests : SqliteLogContractTests
{
    protected override LogCompression Compression => LogCompression.None;
}

/// <summary>The contract of the log port on a log compressing its batches with LZ4 (the default, zstd, runs in the base class).</summary>
public sealed class Lz4LogContractTests : SqliteLogContractTests
{
    protected override LogCompression Compression => LogCompression.Lz4;
}
