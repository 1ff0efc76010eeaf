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

    ILogProducer CreateProducer();

    ILogConsumer CreateConsumer(ConsumerSpec spec);
}
