using Datastream.Pipelines.Log;

namespace Datastream.Web;

/// <summary>
/// How many records rides_raw holds end to end (the sum of its partitions' end offsets), polled every few seconds:
/// the "rides produced" of `serve`, where the producers are other processes.
/// </summary>
public sealed class RawTopicSize(ILog log, string topic)
{
    private long _records;

    public long Records => Interlocked.Read(ref _records);

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        try
        {
            do
            {
                try
                {
                    if (await log.DescribeTopicAsync(topic, stop) is { } description)
                    {
                        Interlocked.Exchange(ref _records, description.Partitions.Sum(p => p.EndOffset));
                    }
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // The figure stays as it was; the log's own troubles show in the pipelines, not here.
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
