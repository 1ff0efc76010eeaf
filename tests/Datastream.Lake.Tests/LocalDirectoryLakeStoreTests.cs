namespace Datastream.Lake.Tests;

/// <summary>The local store's atomic write: temporary next to the target, rename, nothing left behind.</summary>
public sealed class LocalDirectoryLakeStoreTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_flush_leaves_only_parquet_files_and_the_commit_marker()
    {
        var rides = RideSamples.Generate(500);
        await using (var lake = new ParquetRideLake(new LocalDirectoryLakeStore(_root.Path)))
        {
            for (var i = 0; i < rides.Length; i++)
            {
                lake.Add(0, i, rides[i]);
            }

            await lake.FlushAsync(TestContext.Current.CancellationToken);
            Assert.Equal(Path.Combine(_root.Path, "rides/processed/"), lake.Location);
        }

        var files = Directory.GetFiles(Path.Combine(_root.Path, "rides"), "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        // Beside the lake, the staging keeps only the marker naming the last commit: no temporary, no staged file.
        Assert.Equal(["0-500.range"], Directory.GetFiles(Path.Combine(_root.Path, "_datastream"), "*", SearchOption.AllDirectories).Select(Path.GetFileName));
        Assert.All(files, f => Assert.EndsWith(".parquet", f, StringComparison.Ordinal));
        Assert.All(files, f => Assert.StartsWith("part-0-", Path.GetFileName(f), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_target_appears_only_when_the_content_is_complete()
    {
        var cancel = TestContext.Current.CancellationToken;
        var store = new LocalDirectoryLakeStore(_root.Path);
        var target = Path.Combine(_root.Path, "a", "b", "f.parquet");
        await store.WriteAsync("a/b/f.parquet", (s, _) => s.WriteAsync("old"u8.ToArray()), cancel);

        await store.WriteAsync("a/b/f.parquet", async (stream, ct) =>
        {
            await stream.WriteAsync("half"u8.ToArray(), ct);
            await stream.FlushAsync(ct);
            // Mid-write: readers still see the old content, and the temporary is hidden from listings.
            Assert.Equal("old", await File.ReadAllTextAsync(target, ct));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(target)!, ".f.parquet.*.tmp"));
            Assert.Equal(["a/b/f.parquet"], await ListAsync(store, "a/"));
            await stream.WriteAsync(" and whole"u8.ToArray(), ct);
        }, cancel);

        Assert.Equal("half and whole", await File.ReadAllTextAsync(target, cancel));
        Assert.Single(Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_failed_write_leaves_neither_target_nor_temporary()
    {
        var cancel = TestContext.Current.CancellationToken;
        var store = new LocalDirectoryLakeStore(_root.Path);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await store.WriteAsync("x/f.parquet", async (stream, ct) =>
            {
                await stream.WriteAsync("partial"u8.ToArray(), ct);
                throw new InvalidOperationException("writer died");
            }, cancel));

        Assert.Empty(Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Listing_ignores_temporaries_left_by_a_killed_writer_and_honours_partial_prefixes()
    {
        var cancel = TestContext.Current.CancellationToken;
        var store = new LocalDirectoryLakeStore(_root.Path);
        await store.WriteAsync("rides/processed/year=2025/part-1-0.parquet", (s, _) => s.WriteAsync(new byte[] { 1 }), cancel);
        await store.WriteAsync("rides/other/part-1-0.parquet", (s, _) => s.WriteAsync(new byte[] { 1 }), cancel);
        File.WriteAllText(Path.Combine(_root.Path, "rides/processed/year=2025/.part-1-5.parquet.0123.tmp"), "torn");

        Assert.Equal(["rides/processed/year=2025/part-1-0.parquet"], await ListAsync(store, "rides/processed/"));
        Assert.Equal(2, (await ListAsync(store, "rides/")).Count);
        Assert.Equal(["rides/processed/year=2025/part-1-0.parquet"], await ListAsync(store, "rides/proc"));
        Assert.Empty(await ListAsync(store, "nothing/here/"));
    }

    [Fact]
    public async Task Keys_cannot_leave_the_root()
    {
        var store = new LocalDirectoryLakeStore(_root.Path);
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await store.WriteAsync("../escape.parquet", (s, _) => ValueTask.CompletedTask, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Reading_a_missing_key_is_file_not_found_and_deleting_it_is_fine()
    {
        var store = new LocalDirectoryLakeStore(_root.Path);
        await Assert.ThrowsAsync<FileNotFoundException>(async () => await store.OpenReadAsync("no/such.parquet", TestContext.Current.CancellationToken));
        await store.DeleteAsync("no/such.parquet", TestContext.Current.CancellationToken);
    }

    private static async Task<List<string>> ListAsync(ILakeStore store, string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in store.ListAsync(prefix))
        {
            keys.Add(key);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
