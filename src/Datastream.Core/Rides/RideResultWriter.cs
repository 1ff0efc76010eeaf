using System.Buffers.Text;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Datastream.Core.Rides;

/// <summary>
/// Writes one rides_result document (SPEC §3.4) as compact JSON, property order fixed by the contract.
/// The document has a fixed shape whose strings are all ASCII without anything to escape (UUID, timestamp,
/// canonical comfort), so it is written straight into the buffer: a Utf8JsonWriter spent more time on its
/// per-call bookkeeping than on the bytes, and this is the hot path of compute-cost. Course client/driver
/// strings, the only free text, go through the JSON encoder.
/// </summary>
internal static class RideResultWriter
{
    // Generous bound for the standard part: fixed text ~200 bytes plus 10 numbers of at most 24 bytes each.
    private const int StandardMaxBytes = 512;

    // Relaxed escaping keeps client and driver names readable; results are never embedded in HTML.
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>
    /// <paramref name="source"/> is the record <paramref name="ride"/> was read from: values whose
    /// <see cref="CanonicalText"/> is present are copied from it verbatim (empty for the course format).
    /// </summary>
    public static void Append(RideResultBuffer results, in RideFields ride, ReadOnlySpan<byte> source, double distanceKm, double priceTotal,
        CourseParty? client = null, CourseParty? driver = null)
    {
        JsonEncodedText? clientName = Encode(client?.Name);
        JsonEncodedText? clientPhone = Encode(client?.Phone);
        JsonEncodedText? driverName = Encode(driver?.Name);
        JsonEncodedText? driverPhone = Encode(driver?.Phone);
        int partiesBytes = PartyBytes(clientName, clientPhone) + PartyBytes(driverName, driverPhone);

        int start = results.ByteCount;
        Span<byte> span = results.Output.GetSpan(StandardMaxBytes + partiesBytes);
        int at = 0;

        Put(span, ref at, "{\"ride_id\":\""u8);
        if (ride.RideIdText.IsPresent)
        {
            PutSource(span, ref at, source, ride.RideIdText);
        }
        else
        {
            Utf8Formatter.TryFormat(ride.RideId, span[at..], out int written, 'D');
            at += written;
        }

        Put(span, ref at, "\",\"ts\":\""u8);
        if (ride.TsText.IsPresent)
        {
            PutSource(span, ref at, source, ride.TsText);
        }
        else
        {
            UtcTimestamp.Format(ride.TsUtc, span[at..]);
            at += UtcTimestamp.Length;
        }

        Put(span, ref at, "\",\"origin\":{\"lat\":"u8);
        PutNumber(span, ref at, ride.Origin.Lat, source, ride.OriginLatText);
        Put(span, ref at, ",\"lon\":"u8);
        PutNumber(span, ref at, ride.Origin.Lon, source, ride.OriginLonText);
        Put(span, ref at, "},\"destination\":{\"lat\":"u8);
        PutNumber(span, ref at, ride.Destination.Lat, source, ride.DestinationLatText);
        Put(span, ref at, ",\"lon\":"u8);
        PutNumber(span, ref at, ride.Destination.Lon, source, ride.DestinationLonText);
        Put(span, ref at, "},\"comfort\":\""u8);
        Put(span, ref at, ComfortNames.WireNameUtf8(ride.Comfort));
        Put(span, ref at, "\",\"duration_min\":"u8);
        PutNumber(span, ref at, ride.DurationMin, source, ride.DurationMinText);
        Put(span, ref at, ",\"price_base\":"u8);
        PutNumber(span, ref at, ride.PriceBase, source, ride.PriceBaseText);
        Put(span, ref at, ",\"price_per_km\":"u8);
        PutNumber(span, ref at, ride.PricePerKm, source, ride.PricePerKmText);
        Put(span, ref at, ",\"price_per_min\":"u8);
        PutNumber(span, ref at, ride.PricePerMin, source, ride.PricePerMinText);
        Put(span, ref at, ",\"distance_km\":"u8);
        PutNumber(span, ref at, distanceKm);
        Put(span, ref at, ",\"price_total\":"u8);
        PutNumber(span, ref at, priceTotal);
        if (client is not null)
        {
            PutParty(span, ref at, ",\"client\":{"u8, clientName, clientPhone);
        }

        if (driver is not null)
        {
            PutParty(span, ref at, ",\"driver\":{"u8, driverName, driverPhone);
        }

        span[at++] = (byte)'}';
        results.Output.Advance(at);
        results.Commit(ride.RideId, start);
    }

    private static JsonEncodedText? Encode(string? value) => value is null ? null : JsonEncodedText.Encode(value, Encoder);

    private static int PartyBytes(JsonEncodedText? name, JsonEncodedText? phone)
        => 32 + (name?.EncodedUtf8Bytes.Length ?? 0) + (phone?.EncodedUtf8Bytes.Length ?? 0);

    private static void PutParty(Span<byte> span, ref int at, ReadOnlySpan<byte> opening, JsonEncodedText? name, JsonEncodedText? phone)
    {
        Put(span, ref at, opening);
        if (name is { } n)
        {
            Put(span, ref at, "\"name\":\""u8);
            Put(span, ref at, n.EncodedUtf8Bytes);
            span[at++] = (byte)'"';
        }

        if (phone is { } p)
        {
            Put(span, ref at, name is null ? "\"phone\":\""u8 : ",\"phone\":\""u8);
            Put(span, ref at, p.EncodedUtf8Bytes);
            span[at++] = (byte)'"';
        }

        span[at++] = (byte)'}';
    }

    private static void Put(Span<byte> span, ref int at, ReadOnlySpan<byte> text)
    {
        text.CopyTo(span[at..]);
        at += text.Length;
    }

    private static void PutSource(Span<byte> span, ref int at, ReadOnlySpan<byte> source, CanonicalText text)
        => Put(span, ref at, source.Slice(text.Start, text.Length));

    /// <summary>The input's own text when it is already canonical (at most 21 bytes, see PlainDecimal), else formatted.</summary>
    private static void PutNumber(Span<byte> span, ref int at, double value, ReadOnlySpan<byte> source, CanonicalText text)
    {
        if (text.IsPresent)
        {
            PutSource(span, ref at, source, text);
        }
        else
        {
            PutNumber(span, ref at, value);
        }
    }

    /// <summary>Shortest round-trip text; every value here is finite, so the result is always a JSON number.</summary>
    private static void PutNumber(Span<byte> span, ref int at, double value)
    {
        if (!PlainDecimal.TryFormat(value, span[at..], out int written))
        {
            value.TryFormat(span[at..], out written, default, CultureInfo.InvariantCulture);
        }

        at += written;
    }
}
