using System.Diagnostics.Metrics;
using Datastream.Pipelines.Metrics;

namespace Datastream.Tests.Observability;

public sealed class PausedGaugeTests
{
    /// <summary>The stalled and lag alerts stand down on this gauge, so it must follow each pipeline's state when scraped.</summary>
    [Fact]
    public void ReportsEachPipelinesPauseStateWhenObserved()
    {
        using var factory = new CapturingMeterFactory();
        using var metrics = new DatastreamMetrics(factory);
        bool computeCostPaused = true;
        metrics.TrackPaused("compute-cost", () => computeCostPaused);
        metrics.TrackPaused("index-and-export", () => false);

        Assert.Equal(new Dictionary<string, int> { ["compute-cost"] = 1, ["index-and-export"] = 0 }, Observe(factory));
        computeCostPaused = false;
        Assert.Equal(new Dictionary<string, int> { ["compute-cost"] = 0, ["index-and-export"] = 0 }, Observe(factory));
    }

    private static Dictionary<string, int> Observe(CapturingMeterFactory factory)
    {
        var seen = new Dictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "datastream_pipeline_paused" && factory.Created.Contains(instrument.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "pipeline")
                {
                    seen[(string)tag.Value!] = value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }
}
