using Datastream.Embedded.Hosting;
using Datastream.Embedded.Index;

namespace Datastream.Embedded.Tests.Index;

/// <summary>Index:WriterCacheMebibytes reaches the writing connection's SQLite page cache (and only that one).</summary>
public sealed class WriterCacheTests
{
    [Theory]
    [InlineData(EmbeddedIndexOptions.DefaultWriterCacheMebibytes)]
    [InlineData(32)]
    public void The_writer_connection_gets_the_configured_page_cache(int mebibytes)
    {
        using var dir = new TemporaryDirectory();
        var database = new IndexDatabase(new EmbeddedIndexSettings { WriterCacheMebibytes = mebibytes }.ToOptions(dir.Path));
        using var writer = database.OpenWriter();
        database.EnsureSchema(writer);
        using var reader = database.OpenReader();

        // A negative cache_size is in KiB.
        Assert.Equal(-1024L * mebibytes, SqliteFile.Scalar(writer, "PRAGMA cache_size"));
        Assert.NotEqual(-1024L * mebibytes, SqliteFile.Scalar(reader, "PRAGMA cache_size"));
    }
}
