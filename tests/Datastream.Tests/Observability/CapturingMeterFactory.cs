using System.Diagnostics.Metrics;

namespace Datastream.Tests.Observability;

/// <summary>
/// Hands DatastreamMetrics its meter and keeps it, so a MeterListener can pick that instance's instruments out of
/// every "Datastream" meter alive in the test process.
/// </summary>
internal sealed class CapturingMeterFactory : IMeterFactory
{
    public List<Meter> Created { get; } = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        Created.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in Created)
        {
            meter.Dispose();
        }
    }
}
