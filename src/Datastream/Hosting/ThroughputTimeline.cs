namespace Datastream.Hosting;

/// <summary>
/// Samples a running count (records a pipeline has consumed) every 250 ms, so a run can show that it stays as fast as
/// the data grows: the rate over each quarter of the records, from the moments the count crossed each quarter's bounds.
/// </summary>
public sealed class ThroughputTimeline
{
    private readonly List<(double Seconds, long Count)> _samples = [];
    private readonly Func<long> _count;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly SamplingLoop _loop;

    /// <param name="count">The running count, read at each sample.</param>
    /// <param name="time">The clock of the samples; the system's when null.</param>
    public ThroughputTimeline(Func<long> count, TimeProvider? time = null)
    {
        _count = count;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
        _loop = new SamplingLoop(TimeSpan.FromMilliseconds(250), Sample);
    }

    public Task RunAsync(CancellationToken cancellation) => _loop.RunAsync(cancellation);

    /// <summary>Stops sampling after one last sample, so the last quarter ends where the count ended.</summary>
    public void Stop()
    {
        _loop.Stop();
        Sample();
    }

    /// <summary>Records per second over each quarter of the final count (empty before anything was counted).</summary>
    public IReadOnlyList<double> RatesByQuarter()
    {
        lock (_samples)
        {
            long total = _samples.Count == 0 ? 0 : _samples[^1].Count;
            if (total == 0)
            {
                return [];
            }

            var rates = new double[4];
            for (int q = 0; q < 4; q++)
            {
                double from = SecondsAt(total * q / 4.0);
                double to = SecondsAt(total * (q + 1) / 4.0);
                rates[q] = Math.Round(total / 4.0 / Math.Max(0.001, to - from), 1);
            }

            return rates;
        }
    }

    internal void Sample()
    {
        lock (_samples)
        {
            _samples.Add((_time.GetElapsedTime(_started).TotalSeconds, _count()));
        }
    }

    /// <summary>When the count reached <paramref name="target"/>, interpolated between the samples around it.</summary>
    private double SecondsAt(double target)
    {
        var previous = (Seconds: 0.0, Count: 0L);
        foreach (var sample in _samples)
        {
            if (sample.Count >= target)
            {
                return sample.Count == previous.Count
                    ? sample.Seconds
                    : previous.Seconds + ((sample.Seconds - previous.Seconds) * (target - previous.Count) / (sample.Count - previous.Count));
            }

            previous = sample;
        }

        return previous.Seconds;
    }
}
