namespace Datastream.Pipelines.IndexAndExport;

/// <summary>
/// A write to a sink of index-and-export failed; the batch is retried. Its message, the pipeline's last_error while it
/// retries, names the task and the sink first ("PutGCP to the lake gs://bucket/rides/processed/: ..."): the adapters'
/// own messages do not always say which sink they come from ("SQLite Error 5: 'database is locked'.").
/// </summary>
public sealed class SinkFailedException(string task, string sink, Exception inner)
    : IOException($"{task} to {sink}: {inner.Message}", inner)
{
    public string Task { get; } = task;

    public string Sink { get; } = sink;
}
