using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.Tests;

/// <summary>
/// The <see cref="InMemoryLog"/> with consumers whose own calls fail when told to: polls (a lease renewal that stays
/// busy, a Kafka ConsumeException), lag queries and rewinds. Everything else is the inner log's.
/// </summary>
public sealed class FailingConsumerLog(InMemoryLog inner) : ILog
{
    private int _pollFailures;
    private int _lagFailures;
    private int _rewindFailures;

    public string Engine => inner.Engine;

    public int MaxRecordBytes => inner.MaxRecordBytes;

    public ValueTask<long> CountRecordsAsync(TopicPartition partition, long fromOffset, long toOffset, long atMost = long.MaxValue,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        inner.CountRecordsAsync(partition, fromOffset, toOffset, atMost, progress, cancellationToken);

    /// <summary>The next polls that throw.</summary>
    public int PollFailures { get => _pollFailures; init => _pollFailures = value; }

    /// <summary>The next lag queries that throw.</summary>
    public int LagFailures { get => _lagFailures; init => _lagFailures = value; }

    /// <summary>The next rewinds to the committed offsets that throw.</summary>
    public int RewindFailures { get => _rewindFailures; init => _rewindFailures = value; }

    /// <summary>Runs before each poll, failing or not, with the number of polls so far.</summary>
    public Func<int, ValueTask>? BeforePoll { get; init; }

    public int Polls { get; private set; }

    public ValueTask CreateTopicAsync(TopicSpec spec, CancellationToken cancellationToken = default) => inner.CreateTopicAsync(spec, cancellationToken);

    public ValueTask<IReadOnlyList<string>> ListTopicsAsync(CancellationToken cancellationToken = default) => inner.ListTopicsAsync(cancellationToken);

    public ValueTask<TopicDescription?> DescribeTopicAsync(string topic, CancellationToken cancellationToken = default) => inner.DescribeTopicAsync(topic, cancellationToken);

    public ILogProducer CreateProducer() => inner.CreateProducer();

    public ILogConsumer CreateConsumer(ConsumerSpec spec) => new Consumer(this, inner.CreateConsumer(spec));

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private static bool TakeOne(ref int failures)
    {
        if (failures == 0)
        {
            return false;
        }

        failures--;
        return true;
    }

    private sealed class Consumer(FailingConsumerLog log, ILogConsumer inner) : ILogConsumer
    {
        public IReadOnlyCollection<TopicPartition> Assignment => inner.Assignment;

        public long AssignmentGeneration => inner.AssignmentGeneration;

        public ValueTask<IReadOnlyDictionary<TopicPartition, long>> GetCommittedAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default) =>
            inner.GetCommittedAsync(partitions, cancellationToken);

        public async ValueTask<IReadOnlyList<LogRecord>> PollAsync(int maxRecords, TimeSpan maxWait, CancellationToken cancellationToken = default)
        {
            if (log.BeforePoll is { } beforePoll)
            {
                await beforePoll(log.Polls);
            }

            log.Polls++;
            return TakeOne(ref log._pollFailures)
                ? throw new InvalidOperationException("lease renewal: database is busy")
                : await inner.PollAsync(maxRecords, maxWait, cancellationToken);
        }

        public ValueTask CommitAsync(IReadOnlyList<TopicPartitionOffset> nextOffsets, CancellationToken cancellationToken = default) =>
            inner.CommitAsync(nextOffsets, cancellationToken);

        public ILogUnitOfWork BeginUnitOfWork() => inner.BeginUnitOfWork();

        public ValueTask RewindToCommittedAsync(CancellationToken cancellationToken = default) =>
            TakeOne(ref log._rewindFailures) ? throw new IOException("rewind: connection reset") : inner.RewindToCommittedAsync(cancellationToken);

        public ValueTask<IReadOnlyList<PartitionLag>> GetLagAsync(CancellationToken cancellationToken = default) =>
            TakeOne(ref log._lagFailures) ? throw new TimeoutException("lag query timed out") : inner.GetLagAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
