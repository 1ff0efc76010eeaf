using Datastream.Embedded.Index;
using static Datastream.Index.Testing.RideSamples;

namespace Datastream.Embedded.Tests.Index;

public sealed class ReadIsolationTests
{
    private static SqliteRideIndex Open(TemporaryDirectory dir) => new(new EmbeddedIndexOptions(dir.Path));

    [Fact]
    public async Task A_reader_in_another_connection_sees_none_or_all_of_an_upsert_call()
    {
        using var dir = new TemporaryDirectory();
        await using var writer = Open(dir);
        // A second index object on the same file: its own connections, as the web app's process would have.
        await using var reader = Open(dir);
        var rides = Rides(0, 20_000);

        var observed = new List<(long Count, long Rollup, long Matches)>();
        var firstRead = new TaskCompletionSource();
        var writing = new TaskCompletionSource();
        var reading = Task.Run(async () =>
        {
            while (true)
            {
                var done = writing.Task.IsCompleted;
                var count = await reader.CountAsync(Ct);
                var rollup = (await reader.MinuteStatsAsync(DateTime.MinValue, DateTime.MaxValue, Ct)).Sum(s => s.Count);
                var matches = (await reader.SearchAsync(new() { Limit = 1 }, Ct)).Total;
                observed.Add((count, rollup, matches));
                firstRead.TrySetResult();
                if (done)
                {
                    return;
                }
            }
        }, Ct);

        await firstRead.Task;
        await Task.Run(async () => await writer.UpsertAsync(rides, Ct), Ct);
        writing.SetResult();
        await reading;

        Assert.All(observed, o =>
        {
            Assert.Contains(o.Count, new long[] { 0, 20_000 });
            Assert.Contains(o.Rollup, new long[] { 0, 20_000 });
            Assert.Contains(o.Matches, new long[] { 0, 20_000 });
        });
        Assert.Equal((20_000L, 20_000L, 20_000L), observed[^1]);
    }
}
