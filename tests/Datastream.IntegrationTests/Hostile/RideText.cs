using System.Globalization;
using System.Text;

namespace Datastream.IntegrationTests.Hostile;

/// <summary>
/// A standard-format ride (SPEC §3.1) as JSON text fragments, one per field, so that a corpus entry changes exactly
/// one thing of a valid ride: a fragment is the raw JSON of the value (null leaves the field out), and
/// <see cref="Extra"/> is raw JSON properties appended after the known ones.
/// </summary>
public sealed record RideText
{
    public required Guid Id { get; init; }

    /// <summary>The ride_id value (null: the UUID <see cref="Id"/> as a string).</summary>
    public string? RideId { get; init; }

    public bool OmitRideId { get; init; }

    public string? Ts { get; init; } = "\"2025-10-30T16:09:47.123Z\"";

    public string OriginLat { get; init; } = "40.7484";

    public string OriginLon { get; init; } = "-73.9857";

    public string DestinationLat { get; init; } = "40.6413";

    public string DestinationLon { get; init; } = "-73.7781";

    /// <summary>Replaces the whole origin object (null: built from <see cref="OriginLat"/> and <see cref="OriginLon"/>).</summary>
    public string? Origin { get; init; }

    public string? Destination { get; init; }

    public bool OmitOrigin { get; init; }

    public string? Comfort { get; init; } = "\"medium\"";

    public string? DurationMin { get; init; } = "38.5";

    public string? PriceBase { get; init; } = "2.0";

    public string? PricePerKm { get; init; } = "1.1";

    public string? PricePerMin { get; init; } = "0.3";

    public string Extra { get; init; } = "";

    public string Json
    {
        get
        {
            var properties = new List<string>();
            Add(properties, "ride_id", OmitRideId ? null : RideId ?? $"\"{Id:D}\"");
            Add(properties, "ts", Ts);
            if (!OmitOrigin)
            {
                Add(properties, "origin", Origin ?? $"{{\"lat\":{OriginLat},\"lon\":{OriginLon}}}");
            }

            Add(properties, "destination", Destination ?? $"{{\"lat\":{DestinationLat},\"lon\":{DestinationLon}}}");
            Add(properties, "comfort", Comfort);
            Add(properties, "duration_min", DurationMin);
            Add(properties, "price_base", PriceBase);
            Add(properties, "price_per_km", PricePerKm);
            Add(properties, "price_per_min", PricePerMin);
            if (Extra.Length > 0)
            {
                properties.Add(Extra);
            }

            return "{" + string.Join(',', properties) + "}";
        }
    }

    public byte[] Bytes => Encoding.UTF8.GetBytes(Json);

    /// <summary>
    /// The ride this text must become when it is valid: numbers read from the fragments, <paramref name="comfort"/>
    /// canonical, and <paramref name="tsUtc"/> (default: the default ts).
    /// </summary>
    public ExpectedRide Expected(string comfort = "medium", DateTime? tsUtc = null) => new(
        Id, null, Number(OriginLat), Number(OriginLon), Number(DestinationLat), Number(DestinationLon), comfort,
        Number(DurationMin!), Number(PriceBase!), Number(PricePerKm!), Number(PricePerMin!),
        tsUtc ?? new DateTime(2025, 10, 30, 16, 9, 47, 123, DateTimeKind.Utc));

    /// <summary>The rides_result document compute-cost would write for this ride, priced independently (SPEC §3.4).</summary>
    public RideText AsResult(string comfort = "medium")
    {
        var expected = Expected(comfort);
        return this with
        {
            Comfort = $"\"{comfort}\"",
            Extra = string.Create(CultureInfo.InvariantCulture, $"\"distance_km\":{expected.DistanceKm},\"price_total\":{expected.PriceTotal}") + (Extra.Length > 0 ? "," + Extra : ""),
        };
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static void Add(List<string> properties, string name, string? value)
    {
        if (value is not null)
        {
            properties.Add($"\"{name}\":{value}");
        }
    }
}
