using Datastream.Pipelines;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.IndexAndExport;

namespace Datastream.Web;

/// <summary>A pipeline running in this process, as the web app shows and steers it: its DAG, progress and pause switch.</summary>
/// <param name="Stages">The tasks in order; the tasks of one stage run side by side (DAG#2's two sinks).</param>
public sealed record PipelineView(string Name, IReadOnlyList<IReadOnlyList<string>> Stages, string InputTopic, IReadOnlyList<string> Outputs, PipelineProgress Progress, PauseSwitch Pause)
{
    public IReadOnlyList<string> Tasks => [.. Stages.SelectMany(stage => stage)];

    /// <summary>Records per second over the last few seconds, kept by <see cref="PipelineRates"/>.</summary>
    public double ConsumedPerSecond { get; internal set; }

    /// <summary>DAG#1 with the task names of the original design.</summary>
    public static PipelineView Of(ComputeCostPipeline pipeline, TopicNames topics) =>
        new(ComputeCostPipeline.Name, [[TaskNames.ConsumeKafka], [TaskNames.ComputeCostTravel], [TaskNames.PublishKafka]], topics.Raw,
            [topics.Result, topics.Dlq], pipeline.Progress, pipeline.Pause);

    /// <summary>DAG#2, its outputs named by the engines it writes to.</summary>
    public static PipelineView Of(IndexAndExportPipeline pipeline, TopicNames topics, string indexEngine, string lakeLocation) =>
        new(IndexAndExportPipeline.Name, [[TaskNames.ConsumeKafka], [TaskNames.TransformJson], [TaskNames.PutElasticSearch, TaskNames.PutGcp]], topics.Result,
            [$"index ({indexEngine})", $"lake ({lakeLocation})", topics.Dlq], pipeline.Progress, pipeline.Pause);
}
