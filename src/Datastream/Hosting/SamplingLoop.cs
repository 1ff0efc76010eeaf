namespace Datastream.Hosting;

/// <summary>
/// Takes a sample now and then every <paramref name="every"/> until stopped or cancelled: the loop that `run`'s
/// figures over time (memory, throughput) share.
/// </summary>
public sealed class SamplingLoop(TimeSpan every, Action sample)
{
    private readonly CancellationTokenSource _stop = new();

    public async Task RunAsync(CancellationToken cancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _stop.Token);
        using var timer = new PeriodicTimer(every);
        try
        {
            do
            {
                sample();
            }
            while (await timer.WaitForNextTickAsync(linked.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Stop() => _stop.Cancel();
}
