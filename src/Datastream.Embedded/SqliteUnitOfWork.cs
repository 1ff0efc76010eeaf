using Datastream.Pipelines.Log;

namespace Datastream.Embedded;

/// <summary>
/// Stages outputs and offsets in memory; CommitAsync writes both, with the lease check, in one SQLite transaction.
/// Disposing without committing discards everything (nothing was written). <paramref name="records"/> is the
/// consumer's staging buffer, empty when the unit begins and emptied when it ends (one unit is open at a time).
/// </summary>
internal sealed class SqliteUnitOfWork(SqliteLogConsumer consumer, StagedOutputs records) : ILogUnitOfWork
{
    private readonly StagedOutputs _records = records;
    private readonly Dictionary<TopicPartition, long> _offsets = new();
    private bool _finished;

    public void Append(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ThrowIfFinished();
        ArgumentNullException.ThrowIfNull(topic);
        _records.Add(topic, key, value);
    }

    public void CommitOffsets(IReadOnlyList<TopicPartitionOffset> nextOffsets)
    {
        ThrowIfFinished();
        foreach (var offset in nextOffsets)
        {
            _offsets[offset.TopicPartition] = offset.Offset;
        }
    }

    public ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFinished();
        var offsets = _offsets.Select(o => new TopicPartitionOffset(o.Key.Topic, o.Key.Partition, o.Value)).ToList();
        try
        {
            consumer.CommitAtomically(_records, offsets, cancellationToken);
        }
        finally
        {
            // Committed or failed, this unit is over; a failed one must be followed by RewindToCommittedAsync.
            Finish();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            Finish();
        }

        return ValueTask.CompletedTask;
    }

    private void Finish()
    {
        _finished = true;
        _records.Clear();
        _offsets.Clear();
        consumer.EndUnitOfWork(this);
    }

    private void ThrowIfFinished() =>
        ObjectDisposedException.ThrowIf(_finished, this);
}
