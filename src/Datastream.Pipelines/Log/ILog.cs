namespace Datastream.Pipelines.Log;

/// <summary>
/// The log port: named topics split into partitions, each an append-only sequence of records with offsets,
/// read by consumer groups that commit per-partition offsets. Embedded (SQLite) and Kafka implement it.
/// </summary>
public interface ILog : IAsyncDisposable
{
    /// <summary>"embedded" or "kafka".</summary>
    string Engine { get; }

    /// <summary>
    /// The largest record, counted as key + value bytes, that producers and units of work append; a larger one makes
    /// the call throw <see cref="RecordTooLargeException"/> (embedded: Log:MaxRecordBytes; Kafka: Kafka:MessageMaxBytes
    /// less the record's framing).
    /// </summary>
    int MaxRecordBytes { get; }

    /// <summary>Creates the topic if it does not exist; an existing topic is left as it is.</summary>
    ValueTask CreateTopicAsync(TopicSpec spec, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<string>> ListTopicsAsync(CancellationToken cancellationToken = default);

    /// <summary>Null when the topic does not exist.</summary>
    ValueTask<TopicDescription?> DescribeTopicAsync(string topic, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many records a reader finds at offsets [<paramref name="fromOffset"/>, <paramref name="toOffset"/>) of one
    /// partition. Not the same as the number of offsets: on Kafka each transaction leaves a marker in every partition
    /// it wrote, and aborted records keep their offsets, while readers see neither. Offsets deleted by retention count
    /// nothing. Stops counting at <paramref name="atMost"/> (a caller asking "is anything left?" passes 1).
    /// </summary>
    /// <param name="progress">Told the running count now and then on long counts.</param>
    ValueTask<long> CountRecordsAsync(TopicPartition partition, long fromOffset, long toOffset, long atMost = long.MaxValue,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default);

    ILogProducer CreateProducer();

    ILogConsumer CreateConsumer(ConsumerSpec spec);
}
