using System.Text;
using System.Text.Json;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

public sealed class RideResultBufferTests
{
    private static byte[] RideWithId(int i) => RawRide.Valid().With("ride_id", $"\"{new Guid(i, 0, 0, new byte[8])}\"").Bytes;

    [Fact]
    public void Empty_buffer_has_no_results()
    {
        var results = new RideResultBuffer();
        Assert.Equal(0, results.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => results.RideId(0));
    }

    [Fact]
    public void Many_results_grow_the_buffer_and_stay_intact()
    {
        var results = new RideResultBuffer();
        var transform = new ComputeCostTravel();
        const int count = 5_000;
        for (int i = 0; i < count; i++)
        {
            Assert.True(transform.TryTransform(RideWithId(i), Transform.LogTimestamp, results, out _));
        }

        Assert.Equal(count, results.Count);
        for (int i = 0; i < count; i += 97)
        {
            var expected = new Guid(i, 0, 0, new byte[8]);
            Assert.Equal(expected, results.RideId(i));
            using JsonDocument document = JsonDocument.Parse(results.Value(i).ToArray());
            Assert.Equal(expected.ToString(), document.RootElement.GetProperty("ride_id").GetString());
        }

        results.Clear();
        Assert.Equal(0, results.Count);
        Assert.True(transform.TryTransform(RideWithId(7), Transform.LogTimestamp, results, out _));
        Assert.Equal(new Guid(7, 0, 0, new byte[8]), results.RideId(0));
    }

    [Fact]
    public void Rejections_between_results_leave_no_trace_and_the_instance_recovers()
    {
        var results = new RideResultBuffer();
        var transform = new ComputeCostTravel();
        byte[][] records =
        [
            RideWithId(1),
            Encoding.UTF8.GetBytes(RawRide.Valid().Add("x", "1").Add("x", "2").Json),
            RawRide.Valid().With("extra", """{"deep":{"a":[{"b":1}]}}""").Bytes,
            Encoding.UTF8.GetBytes("{\"a\":"),
            [0xFF],
            RideWithId(2),
        ];
        var kinds = new List<RejectionKind?>();
        foreach (byte[] record in records)
        {
            kinds.Add(transform.TryTransform(record, Transform.LogTimestamp, results, out Rejection rejection) ? null : rejection.Kind);
        }

        Assert.Equal([null, RejectionKind.Schema, null, RejectionKind.InvalidJson, RejectionKind.Encoding, null], kinds);
        Assert.Equal(3, results.Count);
        Assert.Equal(new Guid(2, 0, 0, new byte[8]), results.RideId(2));
        for (int i = 0; i < results.Count; i++)
        {
            using JsonDocument document = JsonDocument.Parse(results.Value(i).ToArray());
            Assert.Equal(11, document.RootElement.EnumerateObject().Count());
        }
    }

    [Fact]
    public void Roll_back_removes_results_appended_after_the_mark()
    {
        var results = new RideResultBuffer();
        var transform = new ComputeCostTravel();
        transform.TryTransform(RideWithId(1), Transform.LogTimestamp, results, out _);
        string first = Encoding.UTF8.GetString(results.Value(0));
        RideResultBuffer.Mark mark = results.Save();
        transform.TryTransform(RideWithId(2), Transform.LogTimestamp, results, out _);
        transform.TryTransform(RideWithId(3), Transform.LogTimestamp, results, out _);
        results.RollBack(mark);

        Assert.Equal(1, results.Count);
        transform.TryTransform(RideWithId(4), Transform.LogTimestamp, results, out _);
        Assert.Equal(first, Encoding.UTF8.GetString(results.Value(0)));
        Assert.Equal(new Guid(4, 0, 0, new byte[8]), results.RideId(1));
    }
}
