using Datastream.Embedded.Index;
using static Datastream.Index.Testing.RideSamples;

namespace Datastream.Embedded.Tests.Index;

/// <summary>The index's pages reach its database file from the background checkpoint, not only from commits.</summary>
public sealed class CheckpointTests
{
    [Fact]
    public async Task Written_rides_are_copied_into_the_database_file_beside_the_writes()
    {
        using var dir = new TemporaryDirectory();
        var options = new EmbeddedIndexOptions(dir.Path) { CheckpointInterval = TimeSpan.FromMilliseconds(20) };
        await using var index = new SqliteRideIndex(options);
        var file = new FileInfo(options.DatabasePath);
        file.Refresh();
        var before = file.Exists ? file.Length : 0;

        // ~2,000 rides make well under a megabyte of WAL: the writer's own auto-checkpoint (64 MiB) never runs.
        await index.UpsertAsync(Rides(0, 2_000), Ct);
        var seen = index.Checkpoints;
        while (index.Checkpoints < seen + 2)
        {
            await Task.Delay(20, Ct);
        }

        file.Refresh();
        Assert.True(file.Length > before + 100_000, $"index.db is {file.Length} bytes (was {before}): the rides stayed in the WAL");
        await AssertRollupsMatchAsync(index, Rides(0, 2_000));
    }

    [Fact]
    public async Task A_process_that_only_reads_starts_no_checkpoint()
    {
        using var dir = new TemporaryDirectory();
        await using var index = new SqliteRideIndex(new EmbeddedIndexOptions(dir.Path) { CheckpointInterval = TimeSpan.FromMilliseconds(20) });
        Assert.Equal(0, await index.CountAsync(Ct));
        await Task.Delay(100, Ct);
        Assert.Equal(0, index.Checkpoints);
    }
}
