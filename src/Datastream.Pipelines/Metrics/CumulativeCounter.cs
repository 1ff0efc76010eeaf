using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Datastream.Pipelines.Metrics;

/// <summary>
/// A monotonic counter exported as an observable counter over the totals it keeps per label set, so that a label set
/// is exported, at 0, from the moment its <see cref="Series"/> is taken (SPEC §7), not from its first increment: a
/// dashboard shows 0 instead of "no data" and a rate alert can tell "none" from "not exported". Being observed at
/// each scrape, it is also independent of when the exporter starts listening. The code that counts takes its series
/// once, where it knows its labels, and adds to it: the label sets exported at 0 are the ones that code emits.
/// </summary>
public sealed class CumulativeCounter
{
    private readonly ConcurrentDictionary<string, CounterSeries> _series = new(StringComparer.Ordinal);

    internal CumulativeCounter(Meter meter, string name, string description)
    {
        Name = name;
        meter.CreateObservableCounter(name, Observe, description: description);
    }

    public string Name { get; }

    /// <summary>The series of these labels (the same one for the same labels in the same order), exported from now on.</summary>
    public CounterSeries Series(params ReadOnlySpan<KeyValuePair<string, object?>> labels)
    {
        var tags = labels.ToArray();
        return _series.GetOrAdd(Key(tags), static (_, tags) => new CounterSeries(tags), tags);
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        foreach (var series in _series.Values)
        {
            yield return new Measurement<long>(series.Value, series.Labels);
        }
    }

    // Label values are names and numbers; the unit separator cannot clash with them.
    private static string Key(KeyValuePair<string, object?>[] tags) => string.Join('\u001f', tags.Select(t => $"{t.Key}={t.Value}"));
}
