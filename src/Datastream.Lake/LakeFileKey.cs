using System.Globalization;

namespace Datastream.Lake;

/// <summary>
/// The key of one lake file: &lt;prefix&gt;year=YYYY/month=MM/day=DD/hour=HH/part-&lt;partition&gt;-&lt;first offset&gt;.parquet.
/// The name derives from source offsets only, so a replay of the same rows rewrites the same key.
/// </summary>
public readonly record struct LakeFileKey(DateTime HourUtc, int SourcePartition, long FirstOffset)
{
    private const string PartPrefix = "part-";
    private const string Extension = ".parquet";

    public string ToKey(string prefix) => string.Create(CultureInfo.InvariantCulture,
        $"{prefix}year={HourUtc.Year:D4}/month={HourUtc.Month:D2}/day={HourUtc.Day:D2}/hour={HourUtc.Hour:D2}/{PartPrefix}{SourcePartition}-{FirstOffset}{Extension}");

    /// <summary>The hour a ride belongs to: its event time truncated to the hour.</summary>
    public static DateTime HourOf(DateTime tsUtc) =>
        new(tsUtc.Ticks - tsUtc.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);

    /// <summary>Reads partition and first offset back from a key's file name; false for any other object.</summary>
    public static bool TryParseName(string key, out int sourcePartition, out long firstOffset)
    {
        sourcePartition = 0;
        firstOffset = 0;
        var name = key.AsSpan(key.LastIndexOf('/') + 1);
        if (!name.StartsWith(PartPrefix, StringComparison.Ordinal) || !name.EndsWith(Extension, StringComparison.Ordinal))
        {
            return false;
        }

        var middle = name[PartPrefix.Length..^Extension.Length];
        var dash = middle.IndexOf('-');
        return dash > 0
            && int.TryParse(middle[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out sourcePartition)
            && long.TryParse(middle[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out firstOffset);
    }
}
