using System.Text;

namespace Datastream.Core.Tests;

/// <summary>A standard rides_raw record (SPEC §3.1) as raw JSON members, so tests can swap in any raw text.</summary>
internal sealed class RawRide
{
    private readonly List<(string Name, string Raw)> _members =
    [
        ("ride_id", "\"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b\""),
        ("ts", "\"2025-10-30T16:09:47.123Z\""),
        ("origin", """{"lat":40.7484,"lon":-73.9857}"""),
        ("destination", """{"lat":40.6413,"lon":-73.7781}"""),
        ("comfort", "\"medium\""),
        ("duration_min", "38.5"),
        ("price_base", "2.0"),
        ("price_per_km", "1.1"),
        ("price_per_min", "0.3"),
    ];

    public static RawRide Valid() => new();

    /// <summary>Replaces the member's raw value, or appends it when absent.</summary>
    public RawRide With(string name, string raw)
    {
        int index = _members.FindIndex(m => m.Name == name);
        if (index >= 0)
        {
            _members[index] = (name, raw);
        }
        else
        {
            _members.Add((name, raw));
        }

        return this;
    }

    /// <summary>Appends a member even when one of that name exists, to make duplicates.</summary>
    public RawRide Add(string name, string raw)
    {
        _members.Add((name, raw));
        return this;
    }

    public RawRide Without(string name)
    {
        _members.RemoveAll(m => m.Name == name);
        return this;
    }

    public string Json => "{" + string.Join(",", _members.Select(m => $"\"{m.Name}\":{m.Raw}")) + "}";

    public byte[] Bytes => Encoding.UTF8.GetBytes(Json);
}
