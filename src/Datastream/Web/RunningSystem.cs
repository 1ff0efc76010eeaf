using Datastream.Core.Clustering;
using Datastream.Hosting;
using Datastream.Pipelines.Search;

namespace Datastream.Web;

/// <summary>What the web app reads and steers: the engines and the pipelines of the running process.</summary>
public sealed record RunningSystem(
    IRideSearch Index,
    KMeansModel Model,
    RevenueRefresh Revenue,
    IReadOnlyList<PipelineView> Pipelines,
    DeadLetterFeed DeadLetters,
    Func<long> Produced,
    string LogEngine,
    string LakeLocation)
{
    public PipelineView? Pipeline(string name) => Pipelines.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
