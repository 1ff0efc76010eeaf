namespace Datastream.Pipelines;

public enum PipelineState
{
    Starting,
    Running,
    Idle,
    Retrying,
    /// <summary>Paused by an operator; the batch in hand was committed first.</summary>
    Paused,
    Stopped,
    /// <summary>
    /// Ended by an error that is not retried (a missing topic, out of memory); LastError says which. Every other
    /// error leaves the pipeline <see cref="Retrying"/>.
    /// </summary>
    Failed,
}
