using System.Text.Json;

namespace Datastream.Core.Rides;

/// <summary>
/// Finds a top-level "ride_id" in a record that was refused, so a dead-letter log line can still name the ride.
/// Best effort by design: the record is bad, so any failure to read it just means "no ride id".
/// </summary>
public static class RideIdProbe
{
    public static Guid? Find(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isRideId = reader.ValueTextEquals("ride_id"u8);
                reader.Read();
                if (isRideId)
                {
                    return reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out Guid id) ? id : null;
                }

                reader.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name or id with an escaped lone surrogate, which cannot be unescaped.
        }

        return null;
    }
}
