namespace Datastream.Pipelines;

public enum PipelineState
{
    Starting,
    Running,
    Idle,
    Retrying,
    Stopped,
}
