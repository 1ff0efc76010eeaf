namespace Datastream.Elasticsearch;

/// <summary>The result of one attempt against the cluster, which says whether it is worth another (429, 5xx, no answer).</summary>
internal interface ITransientOutcome
{
    bool IsTransient { get; }
}
