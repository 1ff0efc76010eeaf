using Datastream.Core.Pricing;
using Datastream.Kafka;
using Datastream.Pipelines;
using Datastream.Pipelines.ComputeCost;

namespace Datastream.Configuration;

/// <summary>Everything the host is configured with (SPEC §6), resolved and validated.</summary>
public sealed record DatastreamSettings
{
    public required string DataDir { get; init; }
    public LogEngine LogEngine { get; init; } = LogEngine.Embedded;
    public TopicNames Topics { get; init; } = new();

    /// <summary>Partitions of each topic when Datastream creates it.</summary>
    public int Partitions { get; init; } = 1;

    public short ReplicationFactor { get; init; } = 1;
    public TimeSpan? RetentionAge { get; init; } = TimeSpan.FromDays(7);
    public long? RetentionBytes { get; init; }
    public TariffTable Tariffs { get; init; } = TariffTable.Default;
    public ComputeCostSettings ComputeCost { get; init; } = new();
    /// <summary>Set when the log engine is Kafka.</summary>
    public KafkaLogOptions? Kafka { get; init; }
}

public enum LogEngine
{
    Embedded,
    Kafka,
}
