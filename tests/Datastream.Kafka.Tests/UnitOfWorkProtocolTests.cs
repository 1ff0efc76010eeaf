using Confluent.Kafka;
using Datastream.Pipelines.Log;
using TopicPartition = Datastream.Pipelines.Log.TopicPartition;
using TopicPartitionOffset = Datastream.Pipelines.Log.TopicPartitionOffset;

namespace Datastream.Kafka.Tests;

/// <summary>The transaction protocol of KafkaLogConsumer/KafkaUnitOfWork, driven through test doubles of the Kafka clients.</summary>
public sealed class UnitOfWorkProtocolTests
{
    private const string In = "in";
    private readonly CallLog _calls = new();
    private readonly List<FakeTransactionalProducer> _producers = [];
    private FakeConsumerClient? _client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeConsumerClient Client => _client!;

    [Fact]
    public async Task Commit_FlushesDeliveries_ThenSendsOffsets_ThenCommits()
    {
        await using var consumer = Consumer(partitions: 2);
        Client.ThenRecord(In, 0, 7);
        Client.ThenRecord(In, 1, 3);
        var records = await consumer.PollAsync(10, TimeSpan.FromMilliseconds(50), Ct);

        await using (var unit = consumer.BeginUnitOfWork())
        {
            unit.Append("out", [], [1]);
            unit.Append("out", [9], [2]);
            unit.CommitOffsets([new TopicPartitionOffset(In, 0, 8), new TopicPartitionOffset(In, 1, 4)]);
            await unit.CommitAsync(Ct);
        }

        Assert.Equal(2, records.Count);
        Assert.Equal(
            ["init#1", "begin#1", "produce out", "produce out", "delivered", "delivered", "send-offsets 0@8,1@4", "commit"],
            _calls.Snapshot());
    }

    [Fact]
    public async Task FailedCommit_Aborts_AndTheConsumerRewindsToTheCommittedOffsets()
    {
        await using var consumer = Consumer(partitions: 2);
        Client.CommittedOffsets[new TopicPartition(In, 0)] = 5;
        Client.ThenRecord(In, 0, 5);
        await consumer.PollAsync(10, TimeSpan.FromMilliseconds(50), Ct);
        _producers[0].FailCommit = new KafkaTxnRequiresAbortException(new Error(ErrorCode.RequestTimedOut, "coordinator timed out"));

        var unit = consumer.BeginUnitOfWork();
        unit.Append("out", [], [1]);
        unit.CommitOffsets([new TopicPartitionOffset(In, 0, 6)]);
        var error = await Assert.ThrowsAnyAsync<KafkaException>(async () => await unit.CommitAsync(Ct));
        await unit.DisposeAsync();
        await consumer.RewindToCommittedAsync(Ct);

        Assert.IsNotType<PartitionsLostException>(error);
        var calls = _calls.Snapshot();
        Assert.Equal(["commit", "abort", "seek 0@5", "seek 1@reset"], calls.SkipWhile(c => c != "commit"));
        Assert.Single(_producers);
    }

    [Fact]
    public async Task FencedProducer_ThrowsPartitionsLost_AndIsReplacedBeforeTheNextUnit()
    {
        await using var consumer = Consumer(partitions: 1);
        Client.ThenRecord(In, 0, 0);
        await consumer.PollAsync(10, TimeSpan.FromMilliseconds(50), Ct);
        _producers[0].FailSendOffsets = new KafkaException(new Error(ErrorCode.ProducerFenced, "fenced by a newer instance", true));

        await using (var unit = consumer.BeginUnitOfWork())
        {
            unit.Append("out", [], [1]);
            unit.CommitOffsets([new TopicPartitionOffset(In, 0, 1)]);
            var lost = await Assert.ThrowsAsync<PartitionsLostException>(async () => await unit.CommitAsync(Ct));
            Assert.Equal([new TopicPartition(In, 0)], lost.Partitions);
        }

        // A fenced producer cannot abort: no abort call, it is thrown away and a new one registers its id.
        Assert.DoesNotContain("abort", _calls.Snapshot());
        await consumer.RewindToCommittedAsync(Ct);
        Assert.Equal(2, _producers.Count);
        Assert.True(_producers[0].Disposed);
        Assert.Contains("init#2", _calls.Snapshot());

        await using (var next = consumer.BeginUnitOfWork())
        {
            next.CommitOffsets([new TopicPartitionOffset(In, 0, 1)]);
            await next.CommitAsync(Ct);
        }

        Assert.Equal(["begin#2", "send-offsets 0@1", "commit"], _calls.Snapshot().SkipWhile(c => c != "begin#2"));
    }

    [Fact]
    public async Task StaleGeneration_AbortsAndThrowsPartitionsLost_KeepingTheProducer()
    {
        await using var consumer = Consumer(partitions: 1);
        Client.ThenRecord(In, 0, 0);
        await consumer.PollAsync(10, TimeSpan.FromMilliseconds(50), Ct);
        _producers[0].FailSendOffsets = new KafkaTxnRequiresAbortException(new Error(ErrorCode.IllegalGeneration, "generation is stale"));

        await using (var unit = consumer.BeginUnitOfWork())
        {
            unit.CommitOffsets([new TopicPartitionOffset(In, 0, 1)]);
            await Assert.ThrowsAsync<PartitionsLostException>(async () => await unit.CommitAsync(Ct));
        }

        Assert.Contains("abort", _calls.Snapshot());
        await consumer.RewindToCommittedAsync(Ct);
        Assert.Single(_producers);
    }

    [Fact]
    public async Task PartitionLostAfterThePoll_IsNotCommitted()
    {
        await using var consumer = Consumer(partitions: 2);
        Client.ThenRecord(In, 0, 0);
        Client.ThenRecord(In, 1, 0);
        await consumer.PollAsync(10, TimeSpan.FromMilliseconds(50), Ct);

        await using (var unit = consumer.BeginUnitOfWork())
        {
            unit.Append("out", [], [1]);
            unit.CommitOffsets([new TopicPartitionOffset(In, 0, 1), new TopicPartitionOffset(In, 1, 1)]);
            // Session expired between the poll and the commit: partition 1 has another owner now.
            Client.Listener.OnLost([new TopicPartition(In, 1)]);
            var lost = await Assert.ThrowsAsync<PartitionsLostException>(async () => await unit.CommitAsync(Ct));
            Assert.Equal([new TopicPartition(In, 1)], lost.Partitions);
        }

        var calls = _calls.Snapshot();
        Assert.Contains("abort", calls);
        Assert.DoesNotContain(calls, c => c.StartsWith("send-offsets", StringComparison.Ordinal) || c == "commit");
    }

    [Fact]
    public async Task RevokeDuringAccumulation_DropsTheRevokedPartitionsRecordsFromTheBatch()
    {
        await using var consumer = Consumer(partitions: 2);
        Client.ThenRecord(In, 0, 10);
        Client.ThenRecord(In, 1, 20);
        Client.ThenRecord(In, 0, 11);
        Client.Then(listener =>
        {
            // A cooperative rebalance inside Consume hands partition 0 to another member mid-poll.
            listener.OnRevoked([new TopicPartition(In, 0)]);
            return new LogRecord(In, 1, 21, DateTime.UtcNow, null, [1]);
        });
        // Already fetched before the revoke: must not come back either.
        Client.ThenRecord(In, 0, 12);

        var records = await consumer.PollAsync(100, TimeSpan.FromMilliseconds(100), Ct);

        Assert.Equal([(1, 20L), (1, 21L)], records.Select(r => (r.Partition, r.Offset)));
        Assert.Equal([new TopicPartition(In, 1)], consumer.Assignment);
        var lag = await consumer.GetLagAsync(Ct);
        Assert.Equal([new PartitionLag(In, 1, 22, 100)], lag);
    }

    private KafkaLogConsumer Consumer(int partitions)
    {
        var consumer = new KafkaLogConsumer(
            new ConsumerSpec("g", [In]) { Transactional = true, MemberId = "m" },
            TimeSpan.FromSeconds(5),
            listener =>
            {
                _client = new FakeConsumerClient(listener, _calls);
                return _client;
            },
            () =>
            {
                var producer = new FakeTransactionalProducer(_calls, _producers.Count + 1);
                _producers.Add(producer);
                return producer;
            });
        Client.Listener.OnAssigned(Enumerable.Range(0, partitions).Select(p => new TopicPartition(In, p)).ToList());
        return consumer;
    }
}
