namespace Datastream.Core.Fuzzing;

/// <summary>Every property name the three parsers look for, so random documents often hit their code paths.</summary>
internal static class RideFieldNames
{
    public static readonly string[] All =
    [
        "ride_id", "ts", "origin", "destination", "comfort", "duration_min", "price_base", "price_per_km", "price_per_min",
        "lat", "lon", "distance_km", "price_total", "client", "driver", "name", "phone",
        "data", "confort", "prix_base_per_km", "properties-client", "properties-driver", "logitude", "latitude",
        "nomclient", "telephoneClient", "nomDriver", "telephoneDriver",
    ];
}
