using Datastream.Core.Rides;
using Datastream.Pipelines.Index;
using Datastream.Pipelines.IndexAndExport;
using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.Tests;

public sealed class IndexWriteBehindTests
{
    [Fact]
    public async Task Batches_queued_during_a_write_go_into_the_next_write_together_each_learning_its_own_refusals()
    {
        var writer = new GatedWriter();
        var behind = new IndexWriteBehind(writer.UpsertAsync, new StageTimes(), TimeProvider.System);
        var first = Batch(2);
        var second = Batch(3);
        var third = Batch(1);
        writer.Refuse.Add(second.Rides[1].RideId);

        behind.Add(first);
        await writer.Started.WaitAsync(TestContext.Current.CancellationToken);
        behind.Add(second);
        behind.Add(third);
        Assert.Equal(6, behind.UnwrittenRides);
        writer.Release();

        Assert.Empty(await first.Done);
        Assert.Equal([second.Rides[1].RideId], (await second.Done).Select(r => r.RideId));
        Assert.Empty(await third.Done);
        await behind.WhenIdleAsync();
        Assert.Equal([2, 4], writer.Calls.Select(c => c.Count));
        Assert.Equal([.. first.Rides, .. second.Rides, .. third.Rides], writer.Calls.SelectMany(c => c));
        Assert.Equal(0, behind.UnwrittenRides);
    }

    [Fact]
    public async Task After_a_failed_write_the_batches_behind_it_fail_unwritten_until_the_pipeline_abandons_them()
    {
        var writer = new GatedWriter();
        var behind = new IndexWriteBehind(writer.UpsertAsync, new StageTimes(), TimeProvider.System);
        var failing = Batch(2);
        var behindIt = Batch(2);
        writer.Failure = new IOException("index unavailable");

        behind.Add(failing);
        await writer.Started.WaitAsync(TestContext.Current.CancellationToken);
        behind.Add(behindIt);
        writer.Release();

        await Assert.ThrowsAsync<IOException>(() => failing.Done);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => behindIt.Done);
        await behind.WhenIdleAsync();
        Assert.Single(writer.Calls);

        // The pipeline rewinds: the same rides again, in a new write that is not failed for the old one.
        behind.Abandon();
        writer.Failure = null;
        var again = Batch(2);
        behind.Add(again);
        Assert.Empty(await again.Done);
        Assert.Equal(2, writer.Calls.Count);
        Assert.Equal(0, behind.UnwrittenRides);
    }

    private static IndexWrite Batch(int rides)
    {
        var ts = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        var list = Enumerable.Range(0, rides).Select(_ => new FlatRide(Guid.NewGuid(), ts, Comfort.Low, 40.7, -73.9, 40.8, -73.95, 12, 2, 1.1, 0.3, 5, 11.1, ts)).ToList();
        var sources = list.Select((r, i) => new LogRecord("rides_result", 0, i, ts, null, [])).ToList();
        return new IndexWrite(list, sources, ts);
    }

    /// <summary>An index whose first write waits until released, so that batches queue behind it.</summary>
    private sealed class GatedWriter
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<List<FlatRide>> Calls { get; } = [];

        public HashSet<Guid> Refuse { get; } = [];

        public Exception? Failure { get; set; }

        public Task Started => _started.Task;

        public void Release() => _release.TrySetResult();

        public async ValueTask<IReadOnlyList<IndexRejection>> UpsertAsync(IReadOnlyList<FlatRide> rides)
        {
            _started.TrySetResult();
            await _release.Task;
            Calls.Add([.. rides]);
            if (Failure is { } failure)
            {
                throw failure;
            }

            return [.. rides.Where(r => Refuse.Contains(r.RideId)).Select(r => new IndexRejection(r.RideId, "refused"))];
        }
    }
}
