using Datastream.Embedded.Index;
using Datastream.Lake;
using Datastream.Outages.Testing;

namespace Datastream.Embedded.Tests;

/// <summary>
/// Issue 13, build item 5, for SQLite busy: index-and-export on the embedded log and index (busy_timeout 100 ms) and a
/// local lake, while another connection holds the write lock of the index's database, then of the log's. Each outage
/// lasts DATASTREAM_OUTAGE_SECONDS (default 1) and at least two failed attempts; see <see cref="SinkOutageScenario"/>
/// for what is checked once the lock is released.
/// </summary>
public sealed class SqliteBusyOutageTests
{
    [Fact]
    public async Task After_the_index_and_then_the_log_database_were_locked_every_ride_and_dead_letter_is_delivered_exactly_once()
    {
        using var dir = new TemporaryDirectory();
        var busyTimeout = TimeSpan.FromMilliseconds(100);
        await using var index = new SqliteRideIndex(new EmbeddedIndexOptions(dir.Path) { BusyTimeout = busyTimeout });
        var logOptions = new EmbeddedLogOptions(dir.Path) { BusyTimeout = busyTimeout };
        var indexLock = new ExclusiveLock(index.Options.DatabasePath);
        var logLock = new ExclusiveLock(logOptions.DatabasePath);

        // Two failed attempts per outage, not three: each takes ~5 s here, as SQLite's busy_timeout cannot go below the
        // 1 s command timeout of Microsoft.Data.Sqlite (whole seconds), which waits too, five times (WriteTransaction).
        var scenario = new SinkOutageScenario(dir.Path) { LogOptions = logOptions, MinFailedAttempts = 2 };
        var report = await scenario.RunAsync(index, new LocalDirectoryLakeStore(dir.File("lake")),
            async () => [.. (await index.LatestAsync(int.MaxValue)).Select(r => r.RideId.ToString("D"))],
            new SinkOutage("another connection holds the index's write lock", "PutElasticSearch to the embedded index: SQLite Error 5", indexLock.BeginAsync, indexLock.EndAsync),
            new SinkOutage("another connection holds the log's write lock", "database is locked", logLock.BeginAsync, logLock.EndAsync));

        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        Assert.Equal(report.Rides, await index.CountAsync(TestContext.Current.CancellationToken));
    }
}
