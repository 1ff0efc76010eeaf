using Datastream.Cli;
using Microsoft.Extensions.Configuration;

namespace Datastream.Configuration;

/// <summary>
/// The layers of configuration (SPEC §6), lowest first: GOOGLE_APPLICATION_CREDENTIALS &lt; appsettings.json (in the
/// working directory, or --config) &lt; appsettings.&lt;Environment&gt;.json &lt; environment variables &lt; --data-dir.
/// </summary>
public static class DatastreamConfiguration
{
    /// <summary>DATASTREAM_ENVIRONMENT, else DOTNET_ENVIRONMENT, else Production.</summary>
    public static string EnvironmentName(IReadOnlyDictionary<string, string?> environment)
        => environment.Get("DATASTREAM_ENVIRONMENT") ?? environment.Get("DOTNET_ENVIRONMENT") ?? "Production";

    public static IConfigurationBuilder AddDatastreamLayers(this IConfigurationBuilder builder, string? configFile, string? dataDirOption,
        string environmentName, IReadOnlyDictionary<string, string?> environment)
    {
        builder.Add(new SeedVariablesSource(environment, SeedVariablesSource.Fallbacks, generic: false));
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new UsageException($"--config: file '{configFile}' does not exist");
            }

            string full = Path.GetFullPath(configFile);
            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
            string sibling = Path.Combine(Path.GetDirectoryName(full)!, $"{Path.GetFileNameWithoutExtension(full)}.{environmentName}.json");
            builder.AddJsonFile(sibling, optional: true, reloadOnChange: false);
        }
        else
        {
            string cwd = Directory.GetCurrentDirectory();
            builder.AddJsonFile(Path.Combine(cwd, "appsettings.json"), optional: true, reloadOnChange: false);
            builder.AddJsonFile(Path.Combine(cwd, $"appsettings.{environmentName}.json"), optional: true, reloadOnChange: false);
        }

        builder.Add(new SeedVariablesSource(environment, SeedVariablesSource.Aliases, generic: true));
        if (dataDirOption is not null)
        {
            builder.AddInMemoryCollection([KeyValuePair.Create("DataDir", (string?)dataDirOption)]);
        }

        return builder;
    }
}
