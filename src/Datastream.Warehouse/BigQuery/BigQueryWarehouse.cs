using System.Globalization;
using Datastream.Core.Clustering;
using Google.Apis.Auth.OAuth2;

namespace Datastream.Warehouse.BigQuery;

/// <summary>
/// The warehouse port on BigQuery (SPEC §4), through the REST API. <see cref="SetupAsync"/> creates the dataset
/// <c>rides</c>, the hive-partitioned external table <c>rides.rides_processed_ext</c> over <c>gs://bucket/prefix*</c>,
/// loads <c>rides.reference_uber</c> and trains <c>rides.kmeans8</c>. <see cref="RevenueAsync"/> runs ML.PREDICT over the
/// external table, so every query sees the lake's current files.
/// The model is trained in BigQuery: the local <see cref="KMeansModel"/> passed to <see cref="RevenueAsync"/> is not
/// uploaded and its centroids are not used; only its k is checked against the BigQuery model's
/// <see cref="ModelClusters"/>, so cluster ids 1..k mean the same range on both engines (not the same centroids).
/// </summary>
public sealed class BigQueryWarehouse : IRideWarehouse
{
    /// <summary>NUM_CLUSTERS of rides.kmeans8 (create_model.sql).</summary>
    public const int ModelClusters = 8;

    public const string Scope = "https://www.googleapis.com/auth/bigquery";

    private readonly BigQueryRestClient _client;
    private readonly BigQueryOptions _options;

    public BigQueryWarehouse(BigQueryRestClient client, BigQueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
    }

    /// <summary>
    /// A warehouse with its own REST client: Google credentials (the key file, else Application Default Credentials)
    /// scoped to BigQuery, fetched lazily on the first call; none for a loopback <see cref="BigQueryOptions.BaseUri"/>.
    /// </summary>
    public static BigQueryWarehouse Create(BigQueryOptions options, TimeSpan? pollDelay = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var client = new BigQueryRestClient(options.ProjectId, options.Location, TokenSource(options), options.BaseUri, pollDelay: pollDelay);
        return new BigQueryWarehouse(client, options);
    }

    public string Engine => "bigquery";

    public BigQueryOptions Options => _options;

    /// <summary>Dataset, external table, reference load, model: in this order, each statement finished before the next.</summary>
    public async Task SetupAsync(CancellationToken cancellationToken = default)
    {
        foreach (var template in new[] { BigQuerySql.CreateDataset, BigQuerySql.CreateExternalTable, BigQuerySql.LoadReference, BigQuerySql.CreateModel })
        {
            await _client.QueryAsync(BigQuerySql.Render(template, _options), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The low-latency option: (re)builds the hour-partitioned native table rides.rides_processed from the lake.</summary>
    public Task CreateNativeTableAsync(CancellationToken cancellationToken = default) =>
        _client.QueryAsync(BigQuerySql.Render(BigQuerySql.CreateNativeTable, _options), cancellationToken);

    /// <inheritdoc />
    /// <remarks>Uses the BigQuery-trained rides.kmeans8; <paramref name="model"/> must have k = <see cref="ModelClusters"/>.</remarks>
    public async ValueTask<IReadOnlyList<RevenueRow>> RevenueAsync(KMeansModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Centroids.Count != ModelClusters)
        {
            throw new ArgumentException($"BigQuery's rides.kmeans8 has k = {ModelClusters}; the local model has k = {model.Centroids.Count}.", nameof(model));
        }

        var result = await _client.QueryAsync(BigQuerySql.Render(BigQuerySql.Revenue, _options), cancellationToken).ConfigureAwait(false);
        var rows = new List<RevenueRow>(result.Rows.Count);
        foreach (var row in result.Rows)
        {
            if (row.Count < 4)
            {
                throw new BigQueryException(result.JobId, "invalidResponse", $"revenue row has {row.Count} cells, expected 4.", null);
            }

            rows.Add(new RevenueRow(
                int.Parse(Cell(row, 0, result.JobId), NumberStyles.Integer, CultureInfo.InvariantCulture),
                row[1] ?? "",
                // NUMERIC comes back as a decimal string; rounded to cents here too, whatever the SQL summed.
                row[2] is null ? 0 : Math.Round(decimal.Parse(row[2]!, NumberStyles.Float, CultureInfo.InvariantCulture), 2, MidpointRounding.AwayFromZero),
                long.Parse(Cell(row, 3, result.JobId), NumberStyles.Integer, CultureInfo.InvariantCulture)));
        }
        return rows;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Cell(IReadOnlyList<string?> row, int index, string jobId) =>
        row[index] ?? throw new BigQueryException(jobId, "invalidResponse", $"revenue column {index} is NULL.", null);

    private static Func<CancellationToken, Task<string?>> TokenSource(BigQueryOptions options)
    {
        if (options.Anonymous)
        {
            return _ => Task.FromResult<string?>(null);
        }

        Task<GoogleCredential>? credential = null;
        var gate = new object();
        return async cancellationToken =>
        {
            Task<GoogleCredential> pending;
            lock (gate)
            {
                pending = credential ??= LoadCredentialAsync(options.CredentialsFile);
            }

            var scoped = await pending.ConfigureAwait(false);
            // GoogleCredential caches the token and refreshes it when it nears expiry.
            return await ((ITokenAccess)scoped).GetAccessTokenForRequestAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        };
    }

    private static async Task<GoogleCredential> LoadCredentialAsync(string? credentialsFile)
    {
        var credential = credentialsFile is null
            ? await GoogleCredential.GetApplicationDefaultAsync().ConfigureAwait(false)
            : (await CredentialFactory.FromFileAsync<ServiceAccountCredential>(credentialsFile, CancellationToken.None).ConfigureAwait(false)).ToGoogleCredential();
        return credential.CreateScoped(Scope);
    }
}
