using System.Text;
using Datastream.Kafka.Testing;
using Datastream.Pipelines.Log;

namespace Datastream.Kafka.Tests;

/// <summary>The adapter against librdkafka's mock cluster: produce, poll, commit, resume, describe.</summary>
[Collection(MockClusterCollection.Name)]
public sealed class MockClusterLogTests(MockKafkaCluster cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CommittedOffsets_AreWhereANewMemberOfTheGroupResumes()
    {
        string topic = cluster.NewTopicName("resume");
        cluster.CreateTopic(topic, 3);
        await using var log = new KafkaLog(cluster.Options());
        await ProduceAsync(log, topic, "early", 150);

        var spec = new ConsumerSpec("resume-group", [topic]);
        await using (var first = log.CreateConsumer(spec))
        {
            var early = await PollUntilAsync(first, 150);
            Assert.Equal(150, early.Count);
            Assert.All(early, r => Assert.StartsWith("early", Encoding.UTF8.GetString(r.Value)));
            await first.CommitAsync(NextOffsets(early), Ct);
        }

        await ProduceAsync(log, topic, "late", 40);
        await using var second = log.CreateConsumer(spec with { MemberId = "second" });
        var late = await PollUntilAsync(second, 40);

        Assert.Equal(40, late.Count);
        Assert.All(late, r => Assert.StartsWith("late", Encoding.UTF8.GetString(r.Value)));
        Assert.Empty(await second.PollAsync(100, TimeSpan.FromMilliseconds(300), Ct));
    }

    [Fact]
    public async Task DescribeTopic_ReportsWatermarksAndTheGroupsCommittedOffsets()
    {
        string topic = cluster.NewTopicName("describe");
        cluster.CreateTopic(topic, 2);
        await using var log = new KafkaLog(cluster.Options());
        await ProduceAsync(log, topic, "r", 60);
        await using (var consumer = log.CreateConsumer(new ConsumerSpec("describe-group", [topic])))
        {
            var records = await PollUntilAsync(consumer, 60);
            await consumer.CommitAsync(NextOffsets(records), Ct);
        }

        var description = await log.DescribeTopicAsync(topic, Ct);

        Assert.NotNull(description);
        Assert.Equal(2, description.Partitions.Count);
        Assert.Equal(60, description.RecordCount);
        Assert.All(description.Partitions, p => Assert.Equal(0, p.StartOffset));
        Assert.All(description.Partitions, p => Assert.Equal(p.EndOffset, p.CommittedOffsets["describe-group"]));
        Assert.Contains(topic, await log.ListTopicsAsync(Ct));
        Assert.Null(await log.DescribeTopicAsync(cluster.NewTopicName("missing"), Ct));
    }

    [Fact]
    public async Task TransactionalUnitOfWork_PublishesItsOutputs()
    {
        string input = cluster.NewTopicName("uow-in");
        string output = cluster.NewTopicName("uow-out");
        cluster.CreateTopic(input, 2);
        cluster.CreateTopic(output, 2);
        await using var log = new KafkaLog(cluster.Options());
        await ProduceAsync(log, input, "in", 20);

        await using (var consumer = log.CreateConsumer(new ConsumerSpec("uow-group", [input]) { Transactional = true }))
        {
            var records = await PollUntilAsync(consumer, 20);
            await using var unit = consumer.BeginUnitOfWork();
            foreach (var record in records)
            {
                unit.Append(output, [], record.Value);
            }

            unit.CommitOffsets(NextOffsets(records));
            await unit.CommitAsync(Ct);
        }

        // Offsets count the commit markers too (one per partition written), so count what a reader sees.
        await using var reader = log.CreateConsumer(new ConsumerSpec("uow-reader", [output]));
        var published = await PollUntilAsync(reader, 20);
        Assert.Equal(20, published.Count);
        Assert.Equal(
            Enumerable.Range(0, 20).Select(i => $"in-{i}").Order(),
            published.Select(r => Encoding.UTF8.GetString(r.Value)).Order());
    }

    internal static async Task ProduceAsync(ILog log, string topic, string prefix, int count)
    {
        await using var producer = log.CreateProducer();
        var records = Enumerable.Range(0, count)
            .Select(i => new OutgoingRecord(topic, Encoding.UTF8.GetBytes($"k{i}"), Encoding.UTF8.GetBytes($"{prefix}-{i}")))
            .ToList();
        await producer.ProduceAsync(records, Ct);
    }

    internal static async Task<List<LogRecord>> PollUntilAsync(ILogConsumer consumer, int count, TimeSpan? within = null)
    {
        var records = new List<LogRecord>();
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            records.AddRange(await consumer.PollAsync(count - records.Count, TimeSpan.FromMilliseconds(200), Ct));
        }

        return records;
    }

    internal static List<TopicPartitionOffset> NextOffsets(IEnumerable<LogRecord> records) => records
        .GroupBy(r => r.TopicPartition)
        .Select(g => new TopicPartitionOffset(g.Key.Topic, g.Key.Partition, g.Max(r => r.Offset) + 1))
        .ToList();
}
