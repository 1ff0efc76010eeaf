using Datastream.Core.Clustering;
using Datastream.Hosting;
using Datastream.Pipelines.Search;

namespace Datastream.Web;

/// <summary>What the web app reads and steers: the engines and the pipelines of the running process.</summary>
/// <param name="Model">The clusters of the pickup map and revenue, still being trained for the first seconds of a new data
/// directory.</param>
/// <param name="RawTopic">The size of rides_raw: the dashboard's "rides produced", over all the data like its other counters.</param>
public sealed record RunningSystem(
    IRideSearch Index,
    Task<KMeansModel> Model,
    RevenueRefresh Revenue,
    IReadOnlyList<PipelineView> Pipelines,
    DeadLetterFeed DeadLetters,
    RawTopicSize RawTopic,
    string LogEngine,
    string LakeLocation)
{
    /// <summary>Rides in rides_raw, by every producer and run (polled every few seconds by <see cref="RawTopicSize"/>).</summary>
    public long Produced() => RawTopic.Records;

    public PipelineView? Pipeline(string name) => Pipelines.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
