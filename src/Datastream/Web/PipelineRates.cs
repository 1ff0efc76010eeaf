namespace Datastream.Web;

/// <summary>
/// Samples each pipeline's consumed count once a second and keeps the rate over a sliding window of a few seconds:
/// smooth enough to read, recent enough to show a pause or a stall within seconds.
/// </summary>
public sealed class PipelineRates(IReadOnlyList<PipelineView> pipelines)
{
    private const int WindowSeconds = 5;

    public async Task RunAsync(CancellationToken stop)
    {
        var history = pipelines.ToDictionary(p => p.Name, _ => new Queue<(long Ticks, long Consumed)>());
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                long now = System.Diagnostics.Stopwatch.GetTimestamp();
                foreach (var pipeline in pipelines)
                {
                    var samples = history[pipeline.Name];
                    samples.Enqueue((now, pipeline.Progress.Consumed));
                    while (samples.Count > WindowSeconds + 1)
                    {
                        samples.Dequeue();
                    }

                    var (firstTicks, firstConsumed) = samples.Peek();
                    double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(firstTicks, now).TotalSeconds;
                    pipeline.ConsumedPerSecond = seconds > 0 ? (pipeline.Progress.Consumed - firstConsumed) / seconds : 0;
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
