using Datastream.Configuration;
using Datastream.Pipelines.Log;
using Microsoft.Extensions.Options;

namespace Datastream.Hosting;

/// <summary>How Datastream creates its topics: rides_raw, rides_result and rides_dlq when missing, as Kafka's auto-create would.</summary>
public sealed class TopicProvisioning(IOptions<DatastreamOptions> options, EngineChoice engines)
{
    /// <summary>One partition suits one machine; on Kafka six let up to six instances share the work.</summary>
    private int DefaultPartitions => options.Value.Log.Partitions ?? (engines.Log == LogEngine.Kafka ? 6 : 1);

    public TopicSpec SpecFor(string topic, int? partitions = null) => options.Value.Log.SpecFor(topic, partitions ?? DefaultPartitions);

    public async Task EnsureTopicsAsync(ILog log, CancellationToken cancellationToken)
    {
        var topics = options.Value.Topics;
        foreach (string topic in new[] { topics.Raw, topics.Result, topics.Dlq })
        {
            await log.CreateTopicAsync(SpecFor(topic), cancellationToken);
        }
    }
}
