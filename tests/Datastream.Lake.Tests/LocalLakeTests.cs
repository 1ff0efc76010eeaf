using Datastream.Core.Rides;
using Datastream.Pipelines.Lake;

namespace Datastream.Lake.Tests;

/// <summary>The lake contract on a local directory, and a staging that fails on it and is repeated.</summary>
public sealed class LocalLakeTests : LakeContractTests, IDisposable
{
    private readonly TemporaryDirectory _root = new();

    private protected override Task<ILakeStore> OpenStoreAsync() =>
        Task.FromResult<ILakeStore>(new LocalDirectoryLakeStore(_root.Path));

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_staging_that_failed_after_its_files_were_finished_is_repeated_with_every_row_once()
    {
        var cancel = TestContext.Current.CancellationToken;
        var rides = RideSamples.Generate(50, hours: 1, seed: 8);
        var staging = new DirectoryReplacedByFile(Path.Combine(_root.Path, "_datastream"));
        await using var lake = new ParquetRideLake(await OpenStoreAsync(), new LakeOptions { RowGroupRows = 8 });
        for (var i = 0; i < rides.Length; i++)
        {
            lake.Add(0, i, rides[i]);
            await lake.WriteAheadAsync(cancel);
        }

        var range = new LakeCommitRange(0, 0, rides.Length);
        await staging.BeginAsync();
        await Assert.ThrowsAnyAsync<IOException>(async () => await lake.StageAsync([range], cancel));
        await staging.EndAsync();

        // Kept, and the file already finished (footer written) is written again whole: no row group twice or missing.
        Assert.Equal(rides.Length, lake.BufferedRows);
        Assert.Equal(new LakeFlush(1, rides.Length), await lake.PublishAsync(await lake.StageAsync([range], cancel), cancel));
        var file = Assert.Single(await LakeContents.ReadAsync(await OpenStoreAsync(), new LakeOptions().Prefix));
        Assert.Equal(rides, file.Rides);
    }

    [Fact]
    public async Task A_file_whose_row_group_failed_to_encode_is_never_staged_and_its_rows_read_again_are_written_once()
    {
        var cancel = TestContext.Current.CancellationToken;
        var rides = RideSamples.Generate(20, hours: 1, seed: 9);
        await using var lake = new ParquetRideLake(await OpenStoreAsync(), new LakeOptions { RowGroupRows = 5 });
        for (var i = 0; i < 10; i++)
        {
            // A comfort level no enum member names: the encoder throws on it, inside the file's second row group.
            lake.Add(0, i, i == 7 ? rides[i] with { Comfort = (Comfort)9 } : rides[i]);
            await (i == 4 ? lake.WriteAheadAsync(cancel) : ValueTask.CompletedTask);
        }

        await Assert.ThrowsAsync<IndexOutOfRangeException>(async () => await lake.WriteAheadAsync(cancel));
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(async () => await lake.StageAsync([new LakeCommitRange(0, 0, 10)], cancel));
        Assert.Contains("can only be discarded", failed.Message, StringComparison.Ordinal);
        Assert.Empty(await LakeContents.ReadAsync(await OpenStoreAsync(), ""));

        // As after any failed batch: dropped, and the records read again from the last commit.
        lake.DiscardBuffered();
        for (var i = 0; i < rides.Length; i++)
        {
            lake.Add(0, i, rides[i]);
            await lake.WriteAheadAsync(cancel);
        }

        Assert.Equal(new LakeFlush(1, rides.Length), await lake.FlushAsync(cancel));
        Assert.Equal(rides, Assert.Single(await LakeContents.ReadAsync(await OpenStoreAsync(), new LakeOptions().Prefix)).Rides);
    }
}
