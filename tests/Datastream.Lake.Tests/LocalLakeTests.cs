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
}
