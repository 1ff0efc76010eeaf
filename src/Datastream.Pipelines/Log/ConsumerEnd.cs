namespace Datastream.Pipelines.Log;

/// <summary>When a reader that reads a topic to its end (tail, replay, stats) has got there.</summary>
public static class ConsumerEnd
{
    /// <summary>
    /// True once the consumer owns partitions and has read every one of them to its end. Ask after an empty poll: before
    /// its first poll a consumer owns nothing yet, and owning nothing is not having read everything.
    /// </summary>
    public static async ValueTask<bool> IsAtEndAsync(this ILogConsumer consumer, CancellationToken cancellationToken) =>
        consumer.Assignment.Count > 0 && (await consumer.GetLagAsync(cancellationToken).ConfigureAwait(false)).All(l => l.Lag == 0);
}
