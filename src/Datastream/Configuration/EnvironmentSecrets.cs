using Datastream.Cli;
using Datastream.Elasticsearch.Hosting;
using Datastream.Kafka.Hosting;
using Microsoft.Extensions.Options;

namespace Datastream.Configuration;

/// <summary>
/// Secrets never come from a configuration file (SPEC §6): each is read from its environment variable, or else from
/// the file its *File key names, and handed to the adapter's settings after binding.
/// </summary>
public sealed class EnvironmentSecrets(IReadOnlyDictionary<string, string?> environment)
    : IPostConfigureOptions<KafkaLogSettings>, IPostConfigureOptions<ElasticsearchIndexSettings>
{
    public void PostConfigure(string? name, KafkaLogSettings options) =>
        options.UseSaslPassword(Secret("KAFKA_SASL_PASSWORD", options.SaslPasswordFile, "Kafka:SaslPasswordFile (KAFKA_SASL_PASSWORD_FILE)"));

    public void PostConfigure(string? name, ElasticsearchIndexSettings options) => options.UseSecrets(
        Secret("ELASTICSEARCH_API_KEY", options.ApiKeyFile, "Elasticsearch:ApiKeyFile (ELASTICSEARCH_API_KEY_FILE)"),
        Secret("ELASTICSEARCH_PASSWORD", options.PasswordFile, "Elasticsearch:PasswordFile (ELASTICSEARCH_PASSWORD_FILE)"));

    private string? Secret(string variable, string? file, string fileKey)
    {
        if (environment.Get(variable) is { } value)
        {
            return value;
        }

        if (file is not { Length: > 0 })
        {
            return null;
        }

        return File.Exists(file)
            ? File.ReadAllText(file).TrimEnd('\r', '\n')
            : throw new UsageException($"{fileKey}: file '{file}' does not exist");
    }
}
