namespace Datastream.Core.Rides;

/// <summary>
/// The ride schema, declared once (SPEC §3.4, §3.6): the fields of the flattened document of TransformJSON, their
/// types and their one name, in the order every store keeps them. The SQLite index columns, the Parquet columns, the
/// Elasticsearch document and the web API read it from here; the hot-path writers of rides_result and the flattener
/// spell their bytes out for speed and are checked against it by tests, as are the deployed template, the Kibana
/// objects and the warehouse SQL.
/// </summary>
public static class RideSchema
{
    /// <summary>The names as constants, for attributes and switches.</summary>
    public static class Names
    {
        public const string RideId = "ride_id";
        public const string Ts = "ts";
        public const string Comfort = "comfort";
        public const string OriginLat = "origin_lat";
        public const string OriginLon = "origin_lon";
        public const string DestinationLat = "destination_lat";
        public const string DestinationLon = "destination_lon";
        public const string DurationMin = "duration_min";
        public const string PriceBase = "price_base";
        public const string PricePerKm = "price_per_km";
        public const string PricePerMin = "price_per_min";
        public const string DistanceKm = "distance_km";
        public const string PriceTotal = "price_total";
        public const string AgentTimestamp = "agent_timestamp";
        public const string Origin = "origin";
        public const string Destination = "destination";

        /// <summary>The members of a geo point, in the index and in rides_result.</summary>
        public const string Lat = "lat";
        public const string Lon = "lon";
    }

    public static readonly RideSchemaField RideId = new(Names.RideId, RideValueType.Uuid, "$.ride_id");
    public static readonly RideSchemaField Ts = new(Names.Ts, RideValueType.Instant, "$.ts", instant: (in FlatRide r) => r.TsUtc);
    public static readonly RideSchemaField Comfort = new(Names.Comfort, RideValueType.Comfort, "$.comfort");
    public static readonly RideSchemaField OriginLat = new(Names.OriginLat, RideValueType.Number, "$.origin.lat", (in FlatRide r) => r.OriginLat);
    public static readonly RideSchemaField OriginLon = new(Names.OriginLon, RideValueType.Number, "$.origin.lon", (in FlatRide r) => r.OriginLon);
    public static readonly RideSchemaField DestinationLat = new(Names.DestinationLat, RideValueType.Number, "$.destination.lat", (in FlatRide r) => r.DestinationLat);
    public static readonly RideSchemaField DestinationLon = new(Names.DestinationLon, RideValueType.Number, "$.destination.lon", (in FlatRide r) => r.DestinationLon);
    public static readonly RideSchemaField DurationMin = new(Names.DurationMin, RideValueType.Number, "$.duration_min", (in FlatRide r) => r.DurationMin);
    public static readonly RideSchemaField PriceBase = new(Names.PriceBase, RideValueType.Number, "$.price_base", (in FlatRide r) => r.PriceBase);
    public static readonly RideSchemaField PricePerKm = new(Names.PricePerKm, RideValueType.Number, "$.price_per_km", (in FlatRide r) => r.PricePerKm);
    public static readonly RideSchemaField PricePerMin = new(Names.PricePerMin, RideValueType.Number, "$.price_per_min", (in FlatRide r) => r.PricePerMin);
    public static readonly RideSchemaField DistanceKm = new(Names.DistanceKm, RideValueType.Number, "$.distance_km", (in FlatRide r) => r.DistanceKm);
    public static readonly RideSchemaField PriceTotal = new(Names.PriceTotal, RideValueType.Number, "$.price_total", (in FlatRide r) => r.PriceTotal);
    public static readonly RideSchemaField AgentTimestamp = new(Names.AgentTimestamp, RideValueType.Instant, null, instant: (in FlatRide r) => r.AgentTimestampUtc);

    /// <summary>The index's geo points (SPEC §3.6): objects, never "lon, lat" strings, which Elasticsearch reads as "lat,lon".</summary>
    public static readonly RideSchemaField Origin = new(Names.Origin, RideValueType.GeoPoint, null);
    public static readonly RideSchemaField Destination = new(Names.Destination, RideValueType.GeoPoint, null);

    /// <summary>
    /// The flat fields in document order, the order of <see cref="FlatRide"/>'s members: the SQLite columns, the
    /// Parquet columns, the index and API documents.
    /// </summary>
    public static IReadOnlyList<RideSchemaField> Flat { get; } =
    [
        RideId, Ts, Comfort, OriginLat, OriginLon, DestinationLat, DestinationLon, DurationMin,
        PriceBase, PricePerKm, PricePerMin, DistanceKm, PriceTotal, AgentTimestamp,
    ];

    /// <summary>The numbers of <see cref="Flat"/>, in its order: what a store that holds finite numbers only checks.</summary>
    public static IReadOnlyList<RideSchemaField> Numbers { get; } = [.. Flat.Where(f => f.Type == RideValueType.Number)];

    /// <summary>The index document (SPEC §3.6): the flat fields, then origin and destination as geo points.</summary>
    public static IReadOnlyList<RideSchemaField> IndexDocument { get; } = [.. Flat, Origin, Destination];

    /// <summary>The first number of <paramref name="ride"/> that is NaN or infinite (JSON and the stores hold finite numbers only), or null.</summary>
    public static RideSchemaField? FirstNonFinite(in FlatRide ride)
    {
        // Indexed, not foreach: an interface enumerator would allocate on the index's write path.
        for (var i = 0; i < Numbers.Count; i++)
        {
            if (!double.IsFinite(Numbers[i].NumberOf(ride)))
            {
                return Numbers[i];
            }
        }

        return null;
    }
}
