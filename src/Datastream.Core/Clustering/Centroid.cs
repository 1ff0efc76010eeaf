namespace Datastream.Core.Clustering;

/// <summary>One cluster centre in degrees, with its id (1..k, as BigQuery ML numbers them) and training points.</summary>
public sealed record Centroid(int Id, double Lat, double Lon, long Count);
