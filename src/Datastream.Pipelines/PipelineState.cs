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
}
