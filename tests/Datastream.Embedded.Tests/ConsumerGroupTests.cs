using Datastream.Pipelines.Log;
using static Datastream.Embedded.Tests.LogScenario;

namespace Datastream.Embedded.Tests;

public sealed class ConsumerGroupTests
{
    [Fact]
    public async Task Two_members_split_four_partitions_and_one_takes_all_when_the_other_leaves()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir, new ManualClock()));
        await log.CreateTopicAsync(new TopicSpec("t", 4), Ct);
        await ProduceAsync(log, "t", 0, 100);

        await using var a = log.CreateConsumer(new ConsumerSpec("g", ["t"]) { MemberId = "a" });
        var b = log.CreateConsumer(new ConsumerSpec("g", ["t"]) { MemberId = "b" });
        await a.PollAsync(1, TimeSpan.Zero, Ct);
        Assert.Equal(4, a.Assignment.Count);

        // b joins (no free partition yet), a gives back what is above its fair share, b claims it.
        await b.PollAsync(1, TimeSpan.Zero, Ct);
        await a.PollAsync(1, TimeSpan.Zero, Ct);
        await b.PollAsync(1, TimeSpan.Zero, Ct);
        Assert.Equal([0, 1], a.Assignment.Select(p => p.Partition).Order());
        Assert.Equal([2, 3], b.Assignment.Select(p => p.Partition).Order());

        // Each member reads only its own partitions.
        var fromB = await DrainAsync(b, 100);
        Assert.All(fromB, r => Assert.Contains(r.Partition, new[] { 2, 3 }));

        await b.DisposeAsync();
        await a.PollAsync(1, TimeSpan.Zero, Ct);
        Assert.Equal(4, a.Assignment.Count);
    }

    [Fact]
    public async Task Groups_consume_independently()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("t", 2), Ct);
        await ProduceAsync(log, "t", 0, 30);
        await using var first = log.CreateConsumer(new ConsumerSpec("one", ["t"]));
        await using var second = log.CreateConsumer(new ConsumerSpec("two", ["t"]));

        Assert.Equal(30, (await DrainAsync(first, 30)).Count);
        Assert.Equal(30, (await DrainAsync(second, 30)).Count);
    }
}
