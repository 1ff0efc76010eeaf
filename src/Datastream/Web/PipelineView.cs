using Datastream.Pipelines;

namespace Datastream.Web;

/// <summary>A pipeline running in this process, as the web app shows and steers it: its DAG, progress and pause switch.</summary>
public sealed record PipelineView(string Name, IReadOnlyList<string> Tasks, string InputTopic, IReadOnlyList<string> Outputs, PipelineProgress Progress, PauseSwitch Pause)
{
    /// <summary>Records per second over the last few seconds, kept by <see cref="PipelineRates"/>.</summary>
    public double ConsumedPerSecond { get; internal set; }
}
