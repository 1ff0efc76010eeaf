using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Datastream.Pipelines.Metrics;

namespace Datastream.Pipelines.Tests;

/// <summary>
/// The measurements of one DatastreamMetrics only (other tests run their own meters of the same name meanwhile): each
/// measurement of a histogram, and the totals of the observable counters as a scrape would read them now.
/// </summary>
internal sealed class CapturedMetrics : IMeterFactory
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, KeyValuePair<string, object?>[] Tags)> _measurements = new();
    private readonly List<(string Instrument, KeyValuePair<string, object?>[] Tags, long Value)> _observed = [];

    public CapturedMetrics()
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == this)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.IsObservable)
            {
                _observed.Add((instrument.Name, tags.ToArray(), value));
            }
            else
            {
                _measurements.Enqueue((instrument.Name, tags.ToArray()));
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => _measurements.Enqueue((instrument.Name, tags.ToArray())));
        _listener.Start();
        Metrics = new DatastreamMetrics(this);
    }

    public DatastreamMetrics Metrics { get; }

    public Meter Create(MeterOptions options) => new(new MeterOptions(options.Name) { Scope = this });

    /// <summary>A histogram's measurements, or a counter's total, over the series with this tag.</summary>
    public long Count(string instrument, (string Key, string Value) tag) =>
        _measurements.Count(m => m.Instrument == instrument && HasTag(m.Tags, tag))
        + Observe().Where(m => m.Instrument == instrument && HasTag(m.Tags, tag)).Sum(m => m.Value);

    /// <summary>The label sets of a counter's series, with their totals, as a scrape would read them now.</summary>
    public Dictionary<(string, string, string), long> Series(string instrument, string first, string second, string third) =>
        Observe().Where(m => m.Instrument == instrument).ToDictionary(m => (Tag(m.Tags, first), Tag(m.Tags, second), Tag(m.Tags, third)), m => m.Value);

    /// <summary>The label sets a counter has counted something in.</summary>
    public HashSet<(string, string, string)> LabelSets(string instrument, string first, string second, string third) =>
        Series(instrument, first, second, third).Where(s => s.Value > 0).Select(s => s.Key).ToHashSet();

    private List<(string Instrument, KeyValuePair<string, object?>[] Tags, long Value)> Observe()
    {
        lock (_observed)
        {
            _observed.Clear();
            _listener.RecordObservableInstruments();
            return [.. _observed];
        }
    }

    private static bool HasTag(KeyValuePair<string, object?>[] tags, (string Key, string Value) tag) => tags.Any(t => t.Key == tag.Key && Equals(t.Value, tag.Value));

    public void Dispose()
    {
        _listener.Dispose();
        Metrics.Dispose();
    }

    private static string Tag(KeyValuePair<string, object?>[] tags, string key) => tags.FirstOrDefault(t => t.Key == key).Value?.ToString() ?? "";
}
