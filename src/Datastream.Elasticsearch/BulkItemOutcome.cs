namespace Datastream.Elasticsearch;

/// <summary>What became of one action of a _bulk request.</summary>
internal enum BulkItemOutcome
{
    Stored,

    /// <summary>Pushed back (429) or failed on the cluster's side (5xx): send again, it may well succeed.</summary>
    Retry,

    /// <summary>Refused for good (any other 4xx, e.g. a mapping error): resending the same document cannot help.</summary>
    Rejected,
}
