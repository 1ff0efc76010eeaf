using System.Buffers.Text;
using System.Text.Json;
using Datastream.Core.Dlq;

namespace Datastream.Core.Rides;

/// <summary>
/// Reads a rides_raw record of the standard format (SPEC §3.1) straight from its UTF-8 bytes with one forward
/// pass and no allocation when the record is valid. It also notices the course format (§3.2), whose rides
/// are then read by <see cref="CourseRecordParser"/>. The whole document is always read to its end, so that
/// invalid JSON anywhere wins over a schema error found earlier. Not thread-safe.
/// </summary>
internal sealed class RideRecordParser(RideLimits limits)
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    internal const string LoneSurrogateMessage = "escaped lone surrogate (\\uD800-\\uDFFF not in a pair): not Unicode text";

    private readonly PropertyNameScopes _scopes = new();
    private DateTime _nowUtc;

    // Room to unescape the short strings of a record (UUID, timestamp, comfort) even when every character is written
    // as a \uXXXX escape (a 36-character UUID: 216 bytes); longer ones are invalid anyway.
    private readonly byte[] _unescaped = new byte[256];

    // The first schema error in document order: either a token offset (path found later) or a literal path.
    private long _errorOffset;
    private string? _errorPath;
    private string? _errorMessage;
    private long _duplicateOffset;

    // The first escaped lone surrogate in a property name or a value that is read: the text cannot be unescaped.
    private long _encodingOffset;

    public enum Outcome
    {
        Ride,
        Course,
        Rejected,
    }

    /// <summary><paramref name="nowUtc"/> is the processing time the ts limits are measured from.</summary>
    public Outcome Parse(ReadOnlySpan<byte> payload, DateTime nowUtc, out RideFields ride, out Rejection rejection)
    {
        ride = default;
        rejection = default;
        _scopes.Reset();
        _nowUtc = nowUtc;
        _errorOffset = -1;
        _errorPath = null;
        _errorMessage = null;
        _duplicateOffset = -1;
        _encodingOffset = -1;

        RideField seen = RideField.None;
        bool isObject;
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        try
        {
            reader.Read();
            isObject = reader.TokenType == JsonTokenType.StartObject;
            if (isObject)
            {
                seen = ReadRoot(ref reader, ref ride);
            }
            else
            {
                Walk(ref reader);
            }

            // Anything but whitespace after the root value makes the reader throw here.
            if (reader.Read())
            {
                throw new JsonException("unexpected content after the root value");
            }
        }
        catch (JsonException ex)
        {
            rejection = new Rejection(RejectionKind.InvalidJson, "$", InvalidJsonMessage(payload, ex));
            return Outcome.Rejected;
        }

        if (_encodingOffset >= 0)
        {
            rejection = new Rejection(RejectionKind.Encoding, JsonPathLocator.PathOf(payload, _encodingOffset), LoneSurrogateMessage);
            return Outcome.Rejected;
        }

        if (!isObject)
        {
            rejection = new Rejection(RejectionKind.Schema, "$", "must be an object");
            return Outcome.Rejected;
        }

        if ((seen & RideField.Data) != 0 && (seen & RideField.RideId) == 0)
        {
            // The course format: only a duplicate key (malformed whatever the format) is decided here.
            if (_duplicateOffset >= 0)
            {
                rejection = new Rejection(RejectionKind.Schema, JsonPathLocator.PathOf(payload, _duplicateOffset), "duplicate key");
                return Outcome.Rejected;
            }

            return Outcome.Course;
        }

        if (_errorMessage is null)
        {
            CheckRequired(seen);
        }

        if (_errorMessage is not null)
        {
            string path = _errorPath ?? JsonPathLocator.PathOf(payload, _errorOffset);
            rejection = new Rejection(RejectionKind.Schema, path, _errorMessage);
            return Outcome.Rejected;
        }

        return Outcome.Ride;
    }

    /// <summary>Steps over an unknown property (reader on its name), still checking it and its value for duplicate keys.</summary>
    private void SkipUnknownProperty(ref Utf8JsonReader reader, long keyOffset)
    {
        if (IsUnreadableName(ref reader))
        {
            reader.Read();
            Walk(ref reader);
            return;
        }

        if (_duplicateOffset < 0 && !_scopes.TryAdd(ref reader))
        {
            Duplicate(keyOffset);
        }

        reader.Read();
        Walk(ref reader);
    }

    private RideField ReadRoot(ref Utf8JsonReader reader, ref RideFields ride)
    {
        RideField seen = RideField.None;
        _scopes.Open();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            long keyOffset = reader.TokenStartIndex;
            RideField field = IsUnreadableName(ref reader) ? RideField.Unknown : RideFieldNames.Classify(ref reader);
            // distance_km and price_total are rides_result fields: in a raw record, unknown ones like any other.
            if (field is RideField.Unknown or RideField.DistanceKm or RideField.PriceTotal)
            {
                SkipUnknownProperty(ref reader, keyOffset);
                continue;
            }

            reader.Read();
            if ((seen & field) != 0)
            {
                Duplicate(keyOffset);
                Walk(ref reader);
                continue;
            }

            seen |= field;
            switch (field)
            {
                case RideField.RideId:
                    ReadRideId(ref reader, ref ride.RideId, ref ride.RideIdText);
                    break;
                case RideField.Ts:
                    ReadTimestamp(ref reader, ref ride.TsUtc, ref ride.TsText);
                    break;
                case RideField.Origin:
                    ReadPoint(ref reader, ref ride.Origin, ref ride.OriginLatText, ref ride.OriginLonText, "$.origin");
                    break;
                case RideField.Destination:
                    ReadPoint(ref reader, ref ride.Destination, ref ride.DestinationLatText, ref ride.DestinationLonText, "$.destination");
                    break;
                case RideField.Comfort:
                    ReadComfort(ref reader, ref ride.Comfort);
                    break;
                case RideField.DurationMin:
                    ReadAmount(ref reader, ref ride.DurationMin, ref ride.DurationMinText, limits.MaxDurationMin, "Limits:MaxDurationMin");
                    break;
                case RideField.PriceBase:
                    ReadAmount(ref reader, ref ride.PriceBase, ref ride.PriceBaseText, limits.MaxPriceBase, "Limits:MaxPriceBase");
                    break;
                case RideField.PricePerKm:
                    ReadAmount(ref reader, ref ride.PricePerKm, ref ride.PricePerKmText, limits.MaxPricePerKm, "Limits:MaxPricePerKm");
                    break;
                case RideField.PricePerMin:
                    ReadAmount(ref reader, ref ride.PricePerMin, ref ride.PricePerMinText, limits.MaxPricePerMin, "Limits:MaxPricePerMin");
                    break;
                default:
                    Walk(ref reader);
                    break;
            }
        }

        _scopes.Close();
        return seen;
    }

    private void CheckRequired(RideField seen)
    {
        if (RideFieldNames.FirstMissing(seen, RideField.RawRequired) is { } path)
        {
            FailAt(path, "is required");
        }
    }

    private void ReadRideId(ref Utf8JsonReader reader, ref Guid rideId, ref CanonicalText canonical)
    {
        if (!ExpectString(ref reader, "must be a UUID string"))
        {
            return;
        }

        if (!TryGetUnescaped(ref reader, _unescaped, out ReadOnlySpan<byte> text))
        {
            Fail(ref reader, "must be a UUID");
            return;
        }

        // Only the 36-character hyphenated form: a bare 32-digit or braced id is more likely a producer bug.
        if (text.Length != 36 || !Utf8Parser.TryParse(text, out Guid parsed, out int consumed, 'D') || consumed != 36)
        {
            Fail(ref reader, "must be a UUID");
            return;
        }

        rideId = parsed;

        // The writer's form is lower-case 'D'; hex digits and hyphens are already checked by the parse above.
        if (!reader.ValueIsEscaped && !text.ContainsAnyInRange((byte)'A', (byte)'F'))
        {
            canonical = StringText(ref reader);
        }
    }

    private void ReadTimestamp(ref Utf8JsonReader reader, ref DateTime tsUtc, ref CanonicalText canonical)
    {
        if (!ExpectString(ref reader, "must be an ISO-8601 timestamp string"))
        {
            return;
        }

        if (!TryGetUnescaped(ref reader, _unescaped, out ReadOnlySpan<byte> text))
        {
            Fail(ref reader, "must be an ISO-8601 timestamp");
            return;
        }

        if (RideTimestamp.TryRead(in reader, text, out DateTime utc, out bool isCommonShape) is { } invalid)
        {
            Fail(ref reader, invalid);
            return;
        }

        tsUtc = utc;
        if (limits.CheckTs(utc, _nowUtc) is { } outside)
        {
            Fail(ref reader, outside);
            return;
        }

        // "yyyy-MM-ddTHH:mm:ss.fffZ" read by the shortcut is digit for digit what UtcTimestamp writes.
        if (isCommonShape && !reader.ValueIsEscaped && text.Length == UtcTimestamp.Length && text[19] == (byte)'.' && text[^1] == (byte)'Z')
        {
            canonical = StringText(ref reader);
        }
    }

    /// <summary>Where the unescaped string value the reader is on sits in the payload (the token starts at its quote).</summary>
    private static CanonicalText StringText(ref Utf8JsonReader reader) => new((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);

    /// <summary>The string value's bytes (see <see cref="JsonEscapes.TryUnescape"/>); a lone surrogate is noted as the record's encoding error.</summary>
    private bool TryGetUnescaped(ref Utf8JsonReader reader, byte[] buffer, out ReadOnlySpan<byte> text)
    {
        if (JsonEscapes.TryUnescape(in reader, buffer, out text, out bool unreadable))
        {
            return true;
        }

        if (unreadable)
        {
            Unreadable(reader.TokenStartIndex);
        }

        return false;
    }

    private void ReadComfort(ref Utf8JsonReader reader, ref Comfort comfort)
    {
        if (!ExpectString(ref reader, "must be a string"))
        {
            return;
        }

        if (!TryGetUnescaped(ref reader, _unescaped, out ReadOnlySpan<byte> text) || !ComfortNames.TryParse(text, out Comfort parsed))
        {
            Fail(ref reader, ComfortMessage);
            return;
        }

        comfort = parsed;
    }

    internal const string ComfortMessage = "must be low, medium or high (or an alias: eco, economy, standard, comfort, business, premium, hight)";

    private void ReadPoint(ref Utf8JsonReader reader, ref GeoPoint point, ref CanonicalText latText, ref CanonicalText lonText, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            Fail(ref reader, reader.TokenType == JsonTokenType.Null ? "is required" : "must be an object");
            Walk(ref reader);
            return;
        }

        bool seenLat = false;
        bool seenLon = false;
        double lat = 0;
        double lon = 0;
        _scopes.Open();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            long keyOffset = reader.TokenStartIndex;
            if (IsUnreadableName(ref reader))
            {
                reader.Read();
                Walk(ref reader);
                continue;
            }

            bool isLat = reader.ValueTextEquals("lat"u8);
            bool isLon = !isLat && reader.ValueTextEquals("lon"u8);
            if (!isLat && !isLon)
            {
                SkipUnknownProperty(ref reader, keyOffset);
                continue;
            }

            reader.Read();
            if (isLat ? seenLat : seenLon)
            {
                Duplicate(keyOffset);
                Walk(ref reader);
                continue;
            }

            if (isLat)
            {
                seenLat = true;
                ReadCoordinate(ref reader, ref lat, ref latText, 90, "must be between -90 and 90");
            }
            else
            {
                seenLon = true;
                ReadCoordinate(ref reader, ref lon, ref lonText, 180, "must be between -180 and 180");
            }
        }

        _scopes.Close();
        if (!seenLat)
        {
            FailAt(path + ".lat", "is required");
        }
        else if (!seenLon)
        {
            FailAt(path + ".lon", "is required");
        }

        point = new GeoPoint(lat, lon);
    }

    private void ReadCoordinate(ref Utf8JsonReader reader, ref double value, ref CanonicalText text, double limit, string rangeMessage)
    {
        if (TryReadNumber(ref reader, out double number, out CanonicalText canonical))
        {
            if (number < -limit || number > limit)
            {
                Fail(ref reader, rangeMessage);
                return;
            }

            value = number;
            text = canonical;
        }
    }

    private void ReadAmount(ref Utf8JsonReader reader, ref double value, ref CanonicalText text, double max, string limitKey)
    {
        if (TryReadNumber(ref reader, out double number, out CanonicalText canonical))
        {
            if (number < 0)
            {
                Fail(ref reader, "must not be negative");
                return;
            }

            if (number > max)
            {
                Fail(ref reader, RideLimits.AtMost(max, limitKey));
                return;
            }

            value = number;
            text = canonical;
        }
    }

    private bool TryReadNumber(ref Utf8JsonReader reader, out double number, out CanonicalText canonical)
    {
        number = 0;
        canonical = default;
        if (reader.TokenType != JsonTokenType.Number)
        {
            Fail(ref reader, reader.TokenType == JsonTokenType.Null ? "is required" : "must be a number");
            Walk(ref reader);
            return false;
        }

        ReadOnlySpan<byte> text = reader.ValueSpan;
        if (PlainDecimal.TryParse(text, out number, out bool isCanonical))
        {
            // A number token is never escaped: ValueSpan is the payload's bytes at TokenStartIndex.
            canonical = isCanonical ? new CanonicalText((int)reader.TokenStartIndex, text.Length) : default;
            return true;
        }

        // TryGetDouble refuses what overflows a double (1e400); the finiteness check is belt and braces.
        if (!reader.TryGetDouble(out number) || !double.IsFinite(number))
        {
            Fail(ref reader, "must be a finite number");
            return false;
        }

        return true;
    }

    private bool ExpectString(ref Utf8JsonReader reader, string message)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return true;
        }

        Fail(ref reader, reader.TokenType == JsonTokenType.Null ? "is required" : message);
        Walk(ref reader);
        return false;
    }

    /// <summary>Consumes the value the reader is on, checking the keys of every object inside it for duplicates.</summary>
    private void Walk(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                if (_duplicateOffset >= 0)
                {
                    reader.Skip();
                    return;
                }

                _scopes.Open();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    SkipUnknownProperty(ref reader, reader.TokenStartIndex);
                }

                _scopes.Close();
                return;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Walk(ref reader);
                }

                return;
            default:
                return;
        }
    }

    /// <summary>True (and the record is refused as encoding) when the property name the reader is on cannot be unescaped.</summary>
    private bool IsUnreadableName(ref Utf8JsonReader reader)
    {
        if (!JsonEscapes.IsUnreadable(in reader))
        {
            return false;
        }

        Unreadable(reader.TokenStartIndex);
        return true;
    }

    private void Unreadable(long tokenOffset)
    {
        if (_encodingOffset < 0)
        {
            _encodingOffset = tokenOffset;
        }
    }

    private void Duplicate(long keyOffset)
    {
        if (_duplicateOffset < 0)
        {
            _duplicateOffset = keyOffset;
        }

        if (_errorMessage is null)
        {
            _errorOffset = keyOffset;
            _errorMessage = "duplicate key";
        }
    }

    private void Fail(ref Utf8JsonReader reader, string message)
    {
        if (_errorMessage is null)
        {
            _errorOffset = reader.TokenStartIndex;
            _errorMessage = message;
        }
    }

    private void FailAt(string path, string message)
    {
        if (_errorMessage is null)
        {
            _errorPath = path;
            _errorMessage = message;
        }
    }

    internal static string InvalidJsonMessage(ReadOnlySpan<byte> payload, JsonException ex)
    {
        // The reader reports line and byte-in-line; a log record is usually one line, but count lines anyway.
        long line = ex.LineNumber ?? 0;
        long inLine = ex.BytePositionInLine ?? 0;
        long lineStart = 0;
        for (long i = 0; i < line; i++)
        {
            int next = payload[(int)lineStart..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            lineStart += next + 1;
        }

        string reason = ex.Message;
        int suffix = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (suffix > 0)
        {
            reason = reason[..suffix];
        }

        return $"invalid JSON at byte {lineStart + inLine}: {reason}";
    }
}
