namespace Datastream.Pipelines.Running;

/// <summary>
/// A pipeline died: its run ended with an error that is not retried (a configuration error such as a missing topic,
/// or out of memory). It names the pipeline, so a process running several says which one stopped and why.
/// </summary>
public sealed class PipelineFailedException(string pipeline, Exception cause)
    : Exception($"pipeline {pipeline} failed: {cause.Message}", cause)
{
    public string Pipeline { get; } = pipeline;
}
