namespace Datastream.Configuration;

/// <summary>
/// The one place that reads the process's environment variables: configuration (<see cref="SeedVariablesSource"/>),
/// the secrets, the admin token and Kibana's credentials are all handed this snapshot.
/// </summary>
public static class ProcessEnvironment
{
    public static IReadOnlyDictionary<string, string?> Variables() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    /// <summary>A variable's value, or null when it is unset or empty.</summary>
    public static string? Get(this IReadOnlyDictionary<string, string?> environment, string name)
        => environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
