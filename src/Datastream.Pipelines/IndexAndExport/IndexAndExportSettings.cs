namespace Datastream.Pipelines.IndexAndExport;

public sealed record IndexAndExportSettings
{
    public TopicNames Topics { get; init; } = new();

    /// <summary>The consumer group; every instance joins it and they share the partitions of rides_result.</summary>
    public string Group { get; init; } = "index-and-export";

    public int BatchSize { get; init; } = 20_000;

    public TimeSpan PollWait { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);
}
