using System.Globalization;
using Microsoft.Extensions.Options;

namespace Datastream.Elasticsearch.Hosting;

/// <summary>Checks the Elasticsearch settings before anything connects, naming the key and the seed's variable of a bad value.</summary>
internal sealed class ElasticsearchIndexSettingsValidator : IValidateOptions<ElasticsearchIndexSettings>
{
    private const string UrlRequired = "ELASTICSEARCH_URL (Elasticsearch:Url) is required with DATASTREAM_INDEX=elasticsearch";

    public ValidateOptionsResult Validate(string? name, ElasticsearchIndexSettings settings)
    {
        var urls = (settings.Url ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            return Fail(UrlRequired);
        }

        foreach (string url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var node) || node.Scheme is not ("http" or "https"))
            {
                return Fail($"Elasticsearch:Url (ELASTICSEARCH_URL): '{NodeUrls.Redact(url)}' is not an http:// or https:// URL");
            }
        }

        if (settings.UrlCredentials is not null && (settings.ApiKey is not null || settings.Username is { Length: > 0 } || settings.Password is not null))
        {
            return Fail("ELASTICSEARCH_URL carries credentials (user:password@) and ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD are set too: choose one way to authenticate");
        }

        string? username = settings.Username is { Length: > 0 } user ? user : null;
        if (settings.ApiKey is not null && (username is not null || settings.Password is not null))
        {
            return Fail("ELASTICSEARCH_API_KEY and ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD are both set: choose one way to authenticate");
        }

        if ((username is null) != (settings.Password is null))
        {
            return Fail(username is null
                ? "ELASTICSEARCH_PASSWORD is set without ELASTICSEARCH_USERNAME (Elasticsearch:Username)"
                : "ELASTICSEARCH_USERNAME (Elasticsearch:Username) needs ELASTICSEARCH_PASSWORD (or ELASTICSEARCH_PASSWORD_FILE)");
        }

        if (settings.CaFile is { Length: > 0 } ca && !File.Exists(ca))
        {
            return Fail($"Elasticsearch:CaFile (ELASTICSEARCH_CA_FILE): file '{ca}' does not exist");
        }

        if (!double.IsFinite(settings.RequestTimeoutSeconds) || settings.RequestTimeoutSeconds < 0.1)
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"Elasticsearch:RequestTimeoutSeconds: '{settings.RequestTimeoutSeconds}' is not a number ≥ 0.1"));
        }

        if (settings.MaxAttempts is < 1 or > 100)
        {
            return Fail($"Elasticsearch:MaxAttempts: '{settings.MaxAttempts}' is not a whole number between 1 and 100");
        }

        if (settings.MaxDocumentsPerBulk is < 1 or > 100_000)
        {
            return Fail($"Elasticsearch:MaxDocumentsPerBulk: '{settings.MaxDocumentsPerBulk}' is not a whole number between 1 and 100000");
        }

        try
        {
            // The adapter's own rules (index name, retry delays): one place states them.
            settings.ToOptions().Validate();
        }
        catch (ArgumentException e)
        {
            return Fail($"Elasticsearch: {e.Message.Split(" (Parameter", 2)[0]}");
        }

        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult Fail(string message) => ValidateOptionsResult.Fail(message);
}
