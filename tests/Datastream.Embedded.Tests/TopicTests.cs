using Datastream.Pipelines.Log;
using static Datastream.Embedded.Tests.LogScenario;

namespace Datastream.Embedded.Tests;

public sealed class TopicTests
{
    [Fact]
    public async Task Create_is_idempotent_and_topics_are_listed()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        Assert.Equal("embedded", log.Engine);
        await log.CreateTopicAsync(new TopicSpec("rides_raw", 3), Ct);
        await log.CreateTopicAsync(new TopicSpec("rides_raw", 5), Ct);
        await log.CreateTopicAsync(new TopicSpec("rides_dlq"), Ct);

        Assert.Equal(["rides_dlq", "rides_raw"], await log.ListTopicsAsync(Ct));
        var description = await log.DescribeTopicAsync("rides_raw", Ct);
        Assert.NotNull(description);
        Assert.Equal(3, description.Partitions.Count);
        Assert.All(description.Partitions, p => Assert.Equal((0L, 0L), (p.StartOffset, p.EndOffset)));
    }

    [Fact]
    public async Task Unknown_topics_are_reported()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("known"), Ct);

        Assert.Null(await log.DescribeTopicAsync("missing", Ct));

        await using var producer = log.CreateProducer();
        var error = await Assert.ThrowsAsync<UnknownTopicException>(async () =>
            await producer.ProduceAsync([new OutgoingRecord("missing", default, Bytes("x"))], Ct));
        Assert.Equal("missing", error.Topic);

        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["missing"]));
        await Assert.ThrowsAsync<UnknownTopicException>(async () => await consumer.PollAsync(10, TimeSpan.Zero, Ct));

        await using var reader = log.CreateConsumer(new ConsumerSpec("g", ["known"]));
        await using (var unit = reader.BeginUnitOfWork())
        {
            unit.Append("missing", default, Bytes("x"));
            await Assert.ThrowsAsync<UnknownTopicException>(async () => await unit.CommitAsync(Ct));
        }
    }
}
