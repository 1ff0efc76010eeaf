using System.Text.RegularExpressions;

namespace Datastream.Warehouse.BigQuery;

/// <summary>Where the BigQuery warehouse runs and which GCS lake its external table reads.</summary>
/// <param name="ProjectId">GCP project id (lowercase letters, digits, hyphens).</param>
/// <param name="Bucket">The lake's GCS bucket.</param>
/// <param name="Prefix">The lake's key prefix, empty or ending with '/', default "rides/processed/".</param>
/// <param name="Location">Dataset and job location, default "US".</param>
/// <param name="BaseUri">API root; null is the public endpoint. A loopback URI (tests) is called without credentials.</param>
/// <param name="CredentialsFile">A service-account key file; null uses Application Default Credentials.</param>
public sealed partial record BigQueryOptions(
    string ProjectId,
    string Bucket,
    string Prefix = "rides/processed/",
    string Location = "US",
    Uri? BaseUri = null,
    string? CredentialsFile = null)
{
    /// <summary>True when no credentials are sent: the API root is a loopback address (a local test server).</summary>
    public bool Anonymous => BaseUri is { IsLoopback: true };

    /// <summary>Throws <see cref="ArgumentException"/> for a value that is not a valid project, bucket, prefix or location.</summary>
    public void Validate()
    {
        if (!ProjectPattern().IsMatch(ProjectId ?? ""))
        {
            throw new ArgumentException($"'{ProjectId}' is not a valid GCP project id.", nameof(ProjectId));
        }

        if (!BucketPattern().IsMatch(Bucket ?? ""))
        {
            throw new ArgumentException($"'{Bucket}' is not a valid GCS bucket name.", nameof(Bucket));
        }

        if (Prefix is null || !PrefixPattern().IsMatch(Prefix) || (Prefix.Length > 0 && !Prefix.EndsWith('/')))
        {
            throw new ArgumentException($"Lake prefix '{Prefix}' must be empty or end with '/' and use only letters, digits, '/', '.', '_', '-', '='.", nameof(Prefix));
        }

        if (!LocationPattern().IsMatch(Location ?? ""))
        {
            throw new ArgumentException($"'{Location}' is not a valid BigQuery location.", nameof(Location));
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$")]
    private static partial Regex ProjectPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$")]
    private static partial Regex BucketPattern();

    [GeneratedRegex("^[A-Za-z0-9/._=-]*$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex("^[A-Za-z0-9-]{2,40}$")]
    private static partial Regex LocationPattern();
}
