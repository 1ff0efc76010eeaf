using System.Globalization;

namespace Datastream.IntegrationTests.Hostile;

/// <summary>Helpers to write the corpus's JSON fragments readably.</summary>
public static class JsonFragments
{
    /// <summary>JSON written with single quotes: each ' becomes ".</summary>
    public static string J(string singleQuoted) => singleQuoted.Replace('\'', '"');

    /// <summary>A JSON string of the instant as compute-cost writes it (milliseconds, Z).</summary>
    public static string Timestamp(DateTime utc) => "\"" + utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "\"";

    /// <summary>The ride's bytes with the marker @@ replaced by <paramref name="raw"/>, unchanged (e.g. invalid UTF-8).</summary>
    public static byte[] Splice(RideText ride, byte[] raw)
    {
        byte[] bytes = ride.Bytes;
        int at = bytes.AsSpan().IndexOf("@@"u8);
        return [.. bytes[..at], .. raw, .. bytes[(at + 2)..]];
    }
}
