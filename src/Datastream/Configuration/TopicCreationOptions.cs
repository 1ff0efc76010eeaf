using Datastream.Pipelines.Log;

namespace Datastream.Configuration;

/// <summary>Log: how Datastream creates a topic that is missing, on either log engine.</summary>
public sealed class TopicCreationOptions
{
    /// <summary>Partitions; unset: one on the embedded log (one machine), 6 on Kafka (up to 6 instances share the work).</summary>
    public int? Partitions { get; set; }

    public int ReplicationFactor { get; set; } = 1;

    /// <summary>0: kept forever.</summary>
    public double RetentionHours { get; set; } = 168;

    /// <summary>Per partition; 0: unlimited.</summary>
    public double RetentionBytes { get; set; }

    public TopicSpec SpecFor(string topic, int partitions) => new(topic, partitions, (short)ReplicationFactor)
    {
        RetentionAge = RetentionHours > 0 ? TimeSpan.FromHours(RetentionHours) : null,
        RetentionBytes = RetentionBytes > 0 ? (long)RetentionBytes : null,
    };
}
