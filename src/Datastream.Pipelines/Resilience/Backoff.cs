using Polly;
using Polly.Retry;

namespace Datastream.Pipelines.Resilience;

/// <summary>
/// The one retry shape of Datastream, on Polly: the delay doubles from <paramref name="First"/> and is capped at
/// <paramref name="Max"/>, and each wait is jittered so that writers pushed back together (pipeline instances,
/// bulk requests) do not all come back at the same instant. A pipeline's failed batch and an Elasticsearch request
/// the cluster pushed back are both retried through it.
/// </summary>
public sealed record Backoff(TimeSpan First, TimeSpan Max)
{
    /// <summary>Retries until the caller's token is cancelled: a pipeline never gives up on a batch.</summary>
    public const int UntilCancelled = int.MaxValue;

    /// <summary>
    /// A Polly pipeline that runs a callback up to <paramref name="maxAttempts"/> times in all, retrying while
    /// <paramref name="shouldRetry"/> says so (an exception or a result the callee calls transient).
    /// </summary>
    public ResiliencePipeline Build(int maxAttempts, Func<Outcome<object>, ResilienceContext, bool> shouldRetry,
        Func<OnRetryArguments<object>, ValueTask>? onRetry = null, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        if (maxAttempts == 1)
        {
            return ResiliencePipeline.Empty;
        }

        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System };
        return builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = maxAttempts == UntilCancelled ? UntilCancelled : maxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = First,
            MaxDelay = Max,
            ShouldHandle = args => ValueTask.FromResult(shouldRetry(args.Outcome, args.Context)),
            OnRetry = onRetry,
        }).Build();
    }
}
