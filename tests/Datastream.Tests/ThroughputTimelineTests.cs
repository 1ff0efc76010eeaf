using Datastream.Hosting;

namespace Datastream.Tests;

public sealed class ThroughputTimelineTests
{
    [Fact]
    public void Rates_by_quarter_come_from_when_the_count_crossed_each_quarter()
    {
        var clock = new ManualClock();
        long count = 0;
        var timeline = new ThroughputTimeline(() => count, clock);
        // 400 records sampled every second: the first half at 100/s (2 s), the third quarter at 50/s (2 s), the last at
        // 25/s (4 s); samples between the quarter bounds (225, 325, ...) must not change the rates.
        foreach (long next in new long[] { 0, 100, 200, 225, 300, 325, 350, 375, 400 })
        {
            count = next;
            timeline.Sample();
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([100, 100, 50, 25], timeline.RatesByQuarter());
    }

    [Fact]
    public void Nothing_counted_gives_no_rates()
    {
        var timeline = new ThroughputTimeline(() => 0, new ManualClock());
        timeline.Sample();

        Assert.Empty(timeline.RatesByQuarter());
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
