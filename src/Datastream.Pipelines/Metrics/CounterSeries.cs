namespace Datastream.Pipelines.Metrics;

/// <summary>One label set of a <see cref="CumulativeCounter"/>: its running total, exported from its creation on.</summary>
public sealed class CounterSeries
{
    private long _value;

    internal CounterSeries(KeyValuePair<string, object?>[] labels) => Labels = labels;

    internal KeyValuePair<string, object?>[] Labels { get; }

    public long Value => Interlocked.Read(ref _value);

    public void Add(long delta)
    {
        if (delta < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "a counter only grows");
        }

        Interlocked.Add(ref _value, delta);
    }
}
