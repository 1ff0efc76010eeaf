namespace Datastream.Pipelines.Log;

/// <summary>
/// Outputs and consumed offsets committed atomically: embedded, one SQLite transaction; Kafka, one producer
/// transaction with SendOffsetsToTransaction. Disposing without CommitAsync aborts; the consumer must then be
/// rewound (RewindToCommittedAsync) before polling again.
/// </summary>
public interface ILogUnitOfWork : IAsyncDisposable
{
    /// <summary>Stages one output record. The key picks the partition.</summary>
    void Append(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Stages the group's next offsets for the consumed partitions.</summary>
    void CommitOffsets(IReadOnlyList<TopicPartitionOffset> nextOffsets);

    /// <summary>
    /// Makes everything staged durable and visible at once. Throws PartitionsLostException when this member no
    /// longer owns a partition it commits (a newer member took it over): nothing was written then.
    /// </summary>
    ValueTask CommitAsync(CancellationToken cancellationToken = default);
}
