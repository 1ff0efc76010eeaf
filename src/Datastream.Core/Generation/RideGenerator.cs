using System.Buffers;
using System.Text.Json;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Core.Generation;

/// <summary>
/// Makes rides_raw records for the producer: realistic rides around the pickups, and, at the configured ratio,
/// invalid records of every DLQ kind the pipeline must catch (invalid_json, encoding, too_large, schema).
/// Deterministic for a given Random seed. Not thread-safe.
/// </summary>
public sealed class RideGenerator
{
    private static readonly string[] ComfortSpellings = ["low", "medium", "high", "eco", "comfort", "premium", "Medium", "business", "standard"];
    private static readonly Comfort[] ComfortOfSpelling = [Comfort.Low, Comfort.Medium, Comfort.High, Comfort.Low, Comfort.Medium, Comfort.High, Comfort.Medium, Comfort.High, Comfort.Low];
    private static readonly RejectionKind[] InvalidKinds = [RejectionKind.Schema, RejectionKind.InvalidJson, RejectionKind.Encoding, RejectionKind.TooLarge];

    private readonly Random _random;
    private readonly IPickupSource _pickups;
    private readonly RideGeneratorOptions _options;
    private readonly ArrayBufferWriter<byte> _scratch = new(512);
    private readonly Utf8JsonWriter _writer;
    private int _invalidCount;
    private DateTime _lastTimestamp = DateTime.MinValue;
    private string _lastTimestampText = "";

    public RideGenerator(Random random, IPickupSource pickups, RideGeneratorOptions options)
    {
        if (!(options.InvalidRatio >= 0 && options.InvalidRatio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InvalidRatio, "invalid ratio must be between 0 and 1");
        }

        this._random = random;
        this._pickups = pickups;
        this._options = options;
        _writer = new Utf8JsonWriter(_scratch);
    }

    /// <summary>
    /// Writes the next record (valid, or invalid at the configured ratio) and returns its bytes, valid until the
    /// next call. <paramref name="kind"/> is null for a valid ride, else the DLQ kind it must end up with.
    /// </summary>
    public ReadOnlyMemory<byte> Next(DateTime tsUtc, out RejectionKind? kind)
    {
        _scratch.ResetWrittenCount();
        if (_options.InvalidRatio > 0 && _random.NextDouble() < _options.InvalidRatio)
        {
            kind = InvalidKinds[_invalidCount++ % InvalidKinds.Length];
            WriteInvalid(kind.Value, tsUtc);
        }
        else
        {
            kind = null;
            WriteRide(tsUtc, extraField: null);
        }

        return _scratch.WrittenMemory;
    }

    private void WriteRide(DateTime tsUtc, string? extraField)
    {
        var origin = _pickups.Next();
        // Trips of 0.5 to ~25 km, most of them short, in a random direction.
        double km = 0.5 + 24.5 * Math.Pow(_random.NextDouble(), 2.5);
        double bearing = _random.NextDouble() * 2 * Math.PI;
        double dLat = km * Math.Cos(bearing) / 111.2;
        double dLon = km * Math.Sin(bearing) / (111.2 * Math.Cos(origin.Lat * Math.PI / 180));
        var destination = new GeoPoint(Math.Clamp(origin.Lat + dLat, -90, 90), Math.Clamp(origin.Lon + dLon, -180, 180));
        int spelling = _random.Next(ComfortSpellings.Length);
        var tariff = _options.Tariffs.For(ComfortOfSpelling[spelling]);
        // City traffic: 12 to 35 km/h.
        double durationMin = Math.Round(km / (12 + _random.NextDouble() * 23) * 60, 1);

        _writer.Reset(_scratch);
        _writer.WriteStartObject();
        _writer.WriteString("ride_id"u8, NewRideId());
        _writer.WriteString("ts"u8, TimestampText(tsUtc));
        WritePoint("origin"u8, origin);
        WritePoint("destination"u8, destination);
        _writer.WriteString("comfort"u8, ComfortSpellings[spelling]);
        WriteNumber("duration_min"u8, durationMin);
        WriteNumber("price_base"u8, tariff.Base);
        WriteNumber("price_per_km"u8, tariff.PerKm);
        WriteNumber("price_per_min"u8, tariff.PerMin);
        if (extraField is not null)
        {
            _writer.WriteString("notes"u8, extraField);
        }

        _writer.WriteEndObject();
        _writer.Flush();
    }

    /// <summary>The producer stamps a whole batch with one instant: format it once, not once per ride.</summary>
    private string TimestampText(DateTime tsUtc)
    {
        if (tsUtc != _lastTimestamp)
        {
            _lastTimestamp = tsUtc;
            _lastTimestampText = tsUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }

        return _lastTimestampText;
    }

    private void WritePoint(ReadOnlySpan<byte> name, GeoPoint point)
    {
        _writer.WriteStartObject(name);
        WriteNumber("lat"u8, Math.Round(point.Lat, 6));
        WriteNumber("lon"u8, Math.Round(point.Lon, 6));
        _writer.WriteEndObject();
    }

    /// <summary>
    /// The text Utf8JsonWriter.WriteNumber writes, through PlainDecimal's exact shortcut where it applies (every
    /// number of a generated ride): the framework's general shortest-double formatting was ~7 % of the CPU of a
    /// full-rate run while the producer ran (perf, 4M rides).
    /// </summary>
    private void WriteNumber(ReadOnlySpan<byte> name, double value)
    {
        Span<byte> text = stackalloc byte[32];
        if (PlainDecimal.TryFormat(value, text, out var written))
        {
            _writer.WritePropertyName(name);
            _writer.WriteRawValue(text[..written], skipInputValidation: true);
        }
        else
        {
            _writer.WriteNumber(name, value);
        }
    }

    private Guid NewRideId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        // Stamp version 4 and the RFC variant so the id is a well-formed random UUID.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private void WriteInvalid(RejectionKind kind, DateTime tsUtc)
    {
        switch (kind)
        {
            case RejectionKind.TooLarge:
                WriteRide(tsUtc, new string('x', _options.MaxMessageBytes));
                break;
            case RejectionKind.InvalidJson:
                WriteRide(tsUtc, extraField: null);
                // Cut the record in half: a truncated message is the commonest malformed JSON.
                int keep = _scratch.WrittenCount / 2;
                var truncated = _scratch.WrittenSpan[..keep].ToArray();
                _scratch.ResetWrittenCount();
                _scratch.Write(truncated);
                break;
            case RejectionKind.Encoding:
                WriteRide(tsUtc, extraField: null);
                // Replace a byte inside the comfort value with 0xFF, which never occurs in UTF-8.
                var bytes = _scratch.WrittenSpan.ToArray();
                int at = bytes.AsSpan().IndexOf("\"comfort\":\""u8) + 11;
                bytes[at] = 0xFF;
                _scratch.ResetWrittenCount();
                _scratch.Write(bytes);
                break;
            default:
                WriteSchemaViolation(tsUtc);
                break;
        }
    }

    private void WriteSchemaViolation(DateTime tsUtc)
    {
        WriteRide(tsUtc, extraField: null);
        string text = System.Text.Encoding.UTF8.GetString(_scratch.WrittenSpan);
        string broken = _random.Next(6) switch
        {
            0 => text.Replace("\"origin\":{\"lat\":", "\"origin\":{\"lat\":91,\"was\":", StringComparison.Ordinal), // latitude out of range
            1 => text.Replace("\"comfort\":\"", "\"comfort\":\"ultra", StringComparison.Ordinal),
            2 => text.Replace("Z\",\"origin\"", "\",\"origin\"", StringComparison.Ordinal), // ts without offset
            3 => text.Replace("\"price_base\":", "\"price_base\":-", StringComparison.Ordinal),
            4 => text.Replace("\"duration_min\":", "\"duration_min\":\"", StringComparison.Ordinal).Replace(",\"price_base\"", "\",\"price_base\"", StringComparison.Ordinal),
            _ => text.Replace(",\"comfort\":", ",\"ride_id\":\"dup\",\"comfort\":", StringComparison.Ordinal), // duplicate key
        };
        _scratch.ResetWrittenCount();
        _scratch.Write(System.Text.Encoding.UTF8.GetBytes(broken));
    }
}
