using System.Diagnostics.Metrics;
using Datastream.Pipelines.Metrics;

namespace Datastream.Tests.Observability;

/// <summary>
/// The series names GET /metrics serves, derived from the instruments DatastreamMetrics really creates, so that
/// renaming or removing an instrument breaks the dashboard and alert checks instead of leaving them stale.
/// The names follow the OpenTelemetry Prometheus exporter: a counter gets "_total", a histogram "_bucket",
/// "_sum" and "_count", a gauge or up-down counter keeps its name; a unit is appended unless the name already
/// ends with it.
/// </summary>
internal static class ExportedMetrics
{
    /// <summary>Series Prometheus adds to every scrape target itself; the app does not export them.</summary>
    public static readonly IReadOnlySet<string> AddedByPrometheus = new HashSet<string>(StringComparer.Ordinal) { "up" };

    public static IReadOnlyList<(string Instrument, string Kind, IReadOnlyList<string> Series)> Instruments { get; } = Collect();

    public static IReadOnlySet<string> SeriesNames { get; } = Instruments.SelectMany(i => i.Series).ToHashSet(StringComparer.Ordinal);

    private static List<(string, string, IReadOnlyList<string>)> Collect()
    {
        using var factory = new CapturingMeterFactory();
        using var metrics = new DatastreamMetrics(factory);
        var instruments = new List<Instrument>();
        using (var listener = new MeterListener())
        {
            // Only this instance's meter: another test may hold a DatastreamMetrics of its own at the same time.
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (factory.Created.Contains(instrument.Meter))
                {
                    instruments.Add(instrument);
                }
            };
            listener.Start();
        }

        return instruments.Select(i => (i.Name, KindOf(i), SeriesOf(i))).ToList();
    }

    private static string KindOf(Instrument instrument) => instrument.GetType().Name switch
    {
        var n when n.StartsWith("Counter", StringComparison.Ordinal) || n.StartsWith("ObservableCounter", StringComparison.Ordinal) => "counter",
        var n when n.StartsWith("Histogram", StringComparison.Ordinal) => "histogram",
        var n when n.StartsWith("ObservableGauge", StringComparison.Ordinal) || n.StartsWith("Gauge", StringComparison.Ordinal)
            || n.StartsWith("UpDownCounter", StringComparison.Ordinal) || n.StartsWith("ObservableUpDownCounter", StringComparison.Ordinal) => "gauge",
        var n => throw new NotSupportedException($"instrument {instrument.Name} is a {n}: teach ExportedMetrics how the exporter names it"),
    };

    private static IReadOnlyList<string> SeriesOf(Instrument instrument)
    {
        string name = WithUnit(instrument);
        return KindOf(instrument) switch
        {
            "counter" => [name + "_total"],
            "histogram" => [name + "_bucket", name + "_sum", name + "_count"],
            _ => [name],
        };
    }

    private static string WithUnit(Instrument instrument)
    {
        string? suffix = instrument.Unit switch
        {
            null or "" => null,
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            // An unknown unit would silently change the exported name; better to stop here and map it.
            var unit => throw new NotSupportedException($"instrument {instrument.Name} has unit '{unit}': add how the exporter names it"),
        };
        return suffix is null || instrument.Name.EndsWith("_" + suffix, StringComparison.Ordinal) ? instrument.Name : $"{instrument.Name}_{suffix}";
    }
}
