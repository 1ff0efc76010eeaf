using System.Text.Json;

namespace Datastream.Core.Rides;

/// <summary>
/// One field of the ride schema (<see cref="RideSchema"/>). <see cref="Name"/> is the field's name everywhere: the JSON
/// property, the SQL column, the Parquet column and the Elasticsearch field.
/// </summary>
public sealed class RideSchemaField
{
    private readonly NumberReader? _number;
    private readonly InstantReader? _instant;

    internal RideSchemaField(string name, RideValueType type, string? resultPath, NumberReader? number = null, InstantReader? instant = null)
    {
        Name = name;
        Type = type;
        ResultPath = resultPath;
        JsonName = JsonEncodedText.Encode(name);
        _number = number;
        _instant = instant;
    }

    public string Name { get; }

    public RideValueType Type { get; }

    /// <summary>The name, encoded once for <see cref="Utf8JsonWriter"/>.</summary>
    public JsonEncodedText JsonName { get; }

    /// <summary>
    /// Where the value is in a rides_result document (SPEC §3.4), as a JSON path ("$.origin.lat" for origin_lat); null
    /// for what TransformJSON adds (agent_timestamp) and for the index's geo points, which repeat other fields.
    /// </summary>
    public string? ResultPath { get; }

    /// <summary>The Elasticsearch mapping type (SPEC §3.6): double, never long, for numbers, since prices have cents.</summary>
    public string ElasticsearchType => Type switch
    {
        RideValueType.Uuid or RideValueType.Comfort => "keyword",
        RideValueType.Instant => "date",
        RideValueType.Number => "double",
        _ => "geo_point",
    };

    /// <summary>The value of a <see cref="RideValueType.Number"/> field.</summary>
    public double NumberOf(in FlatRide ride) =>
        _number is { } read ? read(ride) : throw new InvalidOperationException($"{Name} is not a number");

    /// <summary>The value of a <see cref="RideValueType.Instant"/> field.</summary>
    public DateTime InstantOf(in FlatRide ride) =>
        _instant is { } read ? read(ride) : throw new InvalidOperationException($"{Name} is not an instant");

    public override string ToString() => Name;

    // By reference: a FlatRide is 120 bytes, and the stores read every number of every ride.
    internal delegate double NumberReader(in FlatRide ride);

    internal delegate DateTime InstantReader(in FlatRide ride);
}
