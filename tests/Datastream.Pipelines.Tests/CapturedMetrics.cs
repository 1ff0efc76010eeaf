using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Datastream.Pipelines.Metrics;

namespace Datastream.Pipelines.Tests;

/// <summary>The measurements of one DatastreamMetrics only (other tests run their own meters of the same name meanwhile).</summary>
internal sealed class CapturedMetrics : IMeterFactory
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public CapturedMetrics()
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == this)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => _measurements.Enqueue((instrument.Name, tags.ToArray())));
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => _measurements.Enqueue((instrument.Name, tags.ToArray())));
        _listener.Start();
        Metrics = new DatastreamMetrics(this);
    }

    public DatastreamMetrics Metrics { get; }

    public Meter Create(MeterOptions options) => new(new MeterOptions(options.Name) { Scope = this });

    public int Count(string instrument, (string Key, string Value) tag) =>
        _measurements.Count(m => m.Instrument == instrument && m.Tags.Any(t => t.Key == tag.Key && Equals(t.Value, tag.Value)));

    public HashSet<(string, string, string)> LabelSets(string instrument, string first, string second, string third) =>
        _measurements.Where(m => m.Instrument == instrument).Select(m => (Tag(m.Tags, first), Tag(m.Tags, second), Tag(m.Tags, third))).ToHashSet();

    public void Dispose()
    {
        _listener.Dispose();
        Metrics.Dispose();
    }

    private static string Tag(KeyValuePair<string, object?>[] tags, string key) => tags.FirstOrDefault(t => t.Key == key).Value?.ToString() ?? "";
}
