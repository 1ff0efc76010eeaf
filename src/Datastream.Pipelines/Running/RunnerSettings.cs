using Datastream.Pipelines.Log;
using Datastream.Pipelines.Resilience;

namespace Datastream.Pipelines.Running;

/// <summary>How a <see cref="PipelineRunner"/> consumes, and the names its metrics carry.</summary>
/// <param name="Pipeline">The pipeline's name, the <c>pipeline</c> label of every metric.</param>
/// <param name="OutputTopic">The topic <see cref="BatchOutcome.Produced"/> counts records of; null when the output is not a topic.</param>
public sealed record RunnerSettings(string Pipeline, ConsumerSpec Consumer, string InputTopic, string? OutputTopic, string DeadLetterTopic)
{
    public int BatchSize { get; init; } = 5000;

    /// <summary>How long a poll waits for records before the runner checks whether the input is drained.</summary>
    public TimeSpan PollWait { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Between attempts of a failed batch, retried until it succeeds or the run is stopped.</summary>
    public Backoff Retry { get; init; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
}
