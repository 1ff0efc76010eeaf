using Datastream.Core.Rides;
using Datastream.Pipelines.Index;
using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.IndexAndExport;

/// <summary>One batch's rides on their way into the index, with the records they came from (for sink_rejected dead letters).</summary>
internal sealed class IndexWrite(List<FlatRide> rides, List<LogRecord> sources, DateTime agentTimestamp)
{
    private readonly TaskCompletionSource<IReadOnlyList<IndexRejection>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<FlatRide> Rides { get; } = rides;

    public List<LogRecord> Sources { get; } = sources;

    public DateTime AgentTimestamp { get; } = agentTimestamp;

    /// <summary>The rides the index refused for good; throws what the write threw.</summary>
    public Task<IReadOnlyList<IndexRejection>> Done => _done.Task;

    internal int Generation { get; set; }

    /// <summary>When the write that held this batch was done: the end of "ride ts → indexed".</summary>
    public DateTime IndexedAtUtc { get; private set; }

    internal void Complete(DateTime indexedAt, IReadOnlyList<IndexRejection> rejected)
    {
        IndexedAtUtc = indexedAt;
        _done.TrySetResult(rejected);
    }

    internal void Fail(Exception error) => _done.TrySetException(error);
}
