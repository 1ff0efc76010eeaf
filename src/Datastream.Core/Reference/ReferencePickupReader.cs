using System.Globalization;
using Datastream.Core.Rides;

namespace Datastream.Core.Reference;

/// <summary>
/// Reads reference pickups (SPEC §4): the course's `date,lat,lon,ID` or the original FOIL
/// `Date/Time,Lat,Lon,Base` header, CRLF or LF, with or without a final newline.
/// Hand-written because the format is four plain columns without quoting; a CSV library would add a
/// dependency to Core for nothing.
/// </summary>
public static class ReferencePickupReader
{
    /// <summary>Reads every point; throws ReferenceFormatException naming the source and line of the first bad line.</summary>
    public static List<GeoPoint> Read(TextReader reader, string sourceName)
    {
        string? header = reader.ReadLine();
        if (header is null)
        {
            throw new ReferenceFormatException(sourceName, 1, "the file is empty; expected a header 'date,lat,lon,ID' or 'Date/Time,Lat,Lon,Base'");
        }

        string[] columns = header.TrimStart('\uFEFF').Split(',');
        int latColumn = IndexOf(columns, "lat");
        int lonColumn = IndexOf(columns, "lon");
        if (latColumn < 0 || lonColumn < 0)
        {
            throw new ReferenceFormatException(sourceName, 1, $"header '{header}' has no lat and lon columns; expected 'date,lat,lon,ID' or 'Date/Time,Lat,Lon,Base'");
        }

        var points = new List<GeoPoint>();
        int lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] fields = line.Split(',');
            if (fields.Length != columns.Length)
            {
                throw new ReferenceFormatException(sourceName, lineNumber, $"expected {columns.Length} fields, found {fields.Length}");
            }

            double lat = ParseCoordinate(fields[latColumn], "lat", 90, sourceName, lineNumber);
            double lon = ParseCoordinate(fields[lonColumn], "lon", 180, sourceName, lineNumber);
            points.Add(new GeoPoint(lat, lon));
        }

        if (points.Count == 0)
        {
            throw new ReferenceFormatException(sourceName, lineNumber, "the file has a header but no points");
        }

        return points;
    }

    private static int IndexOf(string[] columns, string name)
    {
        for (int i = 0; i < columns.Length; i++)
        {
            if (string.Equals(columns[i].Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static double ParseCoordinate(string text, string name, double limit, string sourceName, int lineNumber)
    {
        if (!double.TryParse(text.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new ReferenceFormatException(sourceName, lineNumber, $"{name} '{text}' is not a number");
        }

        if (value < -limit || value > limit)
        {
            throw new ReferenceFormatException(sourceName, lineNumber, $"{name} {text} is outside [-{limit}, {limit}]");
        }

        return value;
    }
}
