using System.Text;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Producer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Pipelines.Tests;

/// <summary>A record the log cannot take never fails the producer: it is left out, counted, and the rest is sent.</summary>
public sealed class RideProducerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARecordOverTheLogsCap_IsLeftOutAndCounted_AndEveryOtherRecordIsSent()
    {
        var log = new InMemoryLog { MaxRecordBytes = 100 };
        await log.CreateTopicAsync(new TopicSpec("rides_raw", 1), Cancel);
        string[] lines = ["small-0", new string('x', 101), "small-2", new string('y', 100), "small-4"];
        var producer = new RideProducer(log, "rides_raw", NullLogger<RideProducer>.Instance);

        await producer.RunAsync(new Lines(lines), new ProduceLimits(Count: null, Duration: null, Rate: 0) { MaxBatch = 2 }, Cancel);

        Assert.Equal(1, producer.Refused);
        Assert.Equal(4, producer.Produced);
        Assert.Equal(["small-0", "small-2", new string('y', 100), "small-4"], log.Records("rides_raw").Select(r => Encoding.UTF8.GetString(r.Value)));
    }

    private sealed class Lines(string[] lines) : IRecordSource
    {
        private int _next;

        public bool TryNext(DateTime nowUtc, out ReadOnlyMemory<byte> value)
        {
            value = _next < lines.Length ? Encoding.UTF8.GetBytes(lines[_next++]) : default;
            return !value.IsEmpty;
        }
    }
}
