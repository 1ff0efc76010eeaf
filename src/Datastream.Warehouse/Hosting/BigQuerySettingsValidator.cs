using Datastream.Warehouse.BigQuery;
using Microsoft.Extensions.Options;

namespace Datastream.Warehouse.Hosting;

/// <summary>Checks the BigQuery settings and the lake its external table reads before any request.</summary>
internal sealed class BigQuerySettingsValidator(ExternalLake lake) : IValidateOptions<BigQuerySettings>
{
    public ValidateOptionsResult Validate(string? name, BigQuerySettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Project) || string.IsNullOrEmpty(lake.Bucket))
        {
            return ValidateOptionsResult.Fail("BigQuery needs BIGQUERY_PROJECT and GCS_BUCKET (its external table reads the GCS lake)");
        }

        if (settings.BaseUri is { Length: > 0 } uri && !Uri.TryCreate(uri, UriKind.Absolute, out _))
        {
            return ValidateOptionsResult.Fail($"BigQuery:BaseUri: '{uri}' is not an absolute URI");
        }

        try
        {
            Options(settings, lake).Validate();
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"BigQuery: {e.Message.Split(" (Parameter", 2)[0]}");
        }

        return ValidateOptionsResult.Success;
    }

    internal static BigQueryOptions Options(BigQuerySettings settings, ExternalLake lake) =>
        new(settings.Project!, lake.Bucket!, lake.Prefix, settings.Location, settings.BaseUri is { Length: > 0 } uri ? new Uri(uri) : null, lake.CredentialsFile);
}
