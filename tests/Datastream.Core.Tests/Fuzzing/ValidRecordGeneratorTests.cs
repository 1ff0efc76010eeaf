using System.Text;
using CsCheck;
using Datastream.Core.Dlq;
using Datastream.Core.Fuzzing;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests.Fuzzing;

/// <summary>
/// The fuzz runs mutate valid records: these check that the generators' records are valid, so that the
/// mutations start from documents the parsers accept.
/// </summary>
public sealed class ValidRecordGeneratorTests
{
    private const int Records = 2_000;

    [Fact]
    public void Generated_standard_rides_are_accepted_unless_their_total_is_over_the_limit()
    {
        foreach (byte[] record in Draw(StandardRideGen.Valid))
        {
            AssertAcceptedOrOverTotal(record);
        }
    }

    [Fact]
    public void Generated_course_records_are_accepted_unless_a_total_is_over_the_limit()
    {
        foreach (byte[] record in Draw(CourseRecordGen.Valid))
        {
            AssertAcceptedOrOverTotal(record);
        }
    }

    [Fact]
    public void Generated_ride_results_are_flattened()
    {
        foreach (byte[] record in Draw(RideResultGen.Valid))
        {
            bool accepted = TransformJson.TryFlatten(record, FuzzClock.Now, out _, out Rejection rejection);
            Assert.True(accepted, $"{rejection} in {Encoding.UTF8.GetString(record)}");
        }
    }

    private static void AssertAcceptedOrOverTotal(byte[] record)
    {
        bool accepted = new ComputeCostTravel().TryTransform(record, FuzzClock.Now, FuzzClock.Now, new RideResultBuffer(), out Rejection rejection);
        bool overTotal = rejection.Kind == RejectionKind.Schema && rejection.Path.EndsWith("price_total", StringComparison.Ordinal);
        Assert.True(accepted || overTotal, $"{rejection} in {Encoding.UTF8.GetString(record)}");
    }

    private static IEnumerable<byte[]> Draw(Gen<byte[]> gen)
    {
        var pcg = new PCG(1, 20251030);
        for (int i = 0; i < Records; i++)
        {
            yield return gen.Generate(pcg, null, out _);
        }
    }
}
