namespace Datastream.Configuration;

/// <summary>The process's environment variables as a dictionary: what settings, the admin token and Kibana auth read.</summary>
public static class ProcessEnvironment
{
    public static IReadOnlyDictionary<string, string?> Variables() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
}
