namespace Datastream.Pipelines.Log;

public interface ILogProducer : IAsyncDisposable
{
    /// <summary>
    /// Appends the records, in order per partition. When the task completes they are durable (embedded: committed
    /// to the WAL; Kafka: acknowledged by all in-sync replicas). Throws UnknownTopicException for a missing topic.
    /// </summary>
    ValueTask ProduceAsync(IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken = default);
}
