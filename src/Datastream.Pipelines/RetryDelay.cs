namespace Datastream.Pipelines;

/// <summary>Exponential backoff between retries of a failed batch or sink write, reset by a success.</summary>
public sealed class RetryDelay(TimeSpan min, TimeSpan max)
{
    private TimeSpan? next;

    public TimeSpan Next => next ?? min;

    public void Reset() => next = null;

    /// <summary>Waits the current delay (returns early when stopping), then doubles it up to the maximum.</summary>
    public async Task WaitAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Next, stop);
        }
        catch (OperationCanceledException)
        {
        }

        next = TimeSpan.FromTicks(Math.Min(Next.Ticks * 2, max.Ticks));
    }
}
