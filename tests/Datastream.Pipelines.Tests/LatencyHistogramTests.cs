using Datastream.Pipelines.Metrics;

namespace Datastream.Pipelines.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Empty_ReportsZero() => Assert.Equal(0, new LatencyHistogram().Percentile(0.99));

    [Fact]
    public void Percentiles_AreWithinTwoPercentOfTheTrueValue()
    {
        var histogram = new LatencyHistogram();
        for (int ms = 1; ms <= 10_000; ms++)
        {
            histogram.Record(ms);
        }

        Assert.Equal(10_000, histogram.Count);
        Assert.InRange(histogram.Percentile(0.50), 5000, 5000 * 1.021);
        Assert.InRange(histogram.Percentile(0.99), 9900, 9900 * 1.021);
        Assert.InRange(histogram.Percentile(1.0), 10_000, 10_000 * 1.021);
    }

    [Fact]
    public void NegativeAndHugeValues_AreClampedNotLost()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(-5);
        histogram.Record(1e12);
        Assert.Equal(2, histogram.Count);
        Assert.InRange(histogram.Percentile(0.5), 0, 1);
        Assert.True(histogram.Percentile(1.0) > 1_000_000);
    }
}
