namespace Datastream.Warehouse.Hosting;

/// <summary>The BigQuery warehouse's configuration keys (section BigQuery; BIGQUERY_PROJECT maps onto Project).</summary>
public sealed class BigQuerySettings
{
    public string? Project { get; set; }

    /// <summary>Dataset and job location.</summary>
    public string Location { get; set; } = "US";

    /// <summary>A BigQuery API root other than Google's (a local test server); unauthenticated when on loopback.</summary>
    public string? BaseUri { get; set; }
}

/// <summary>The GCS lake BigQuery's external table reads: the lake's settings, passed in by the host.</summary>
public sealed record ExternalLake(string? Bucket, string Prefix, string? CredentialsFile);
