using System.Text.RegularExpressions;
using Datastream.Cli;
using Microsoft.Extensions.Options;

namespace Datastream.Configuration;

/// <summary>
/// Turns what the framework throws for bad configuration into the CLI's one line naming the key (SPEC §5): a failed
/// validation, a value the binder could not convert, an unreadable configuration file.
/// </summary>
public static partial class ConfigurationError
{
    /// <summary>The usage error <paramref name="error"/> stands for, or null when it is not a configuration error.</summary>
    public static UsageException? From(Exception error) => error switch
    {
        UsageException usage => usage,
        OptionsValidationException validation => new UsageException(validation.Failures.FirstOrDefault() ?? validation.Message),
        AggregateException { InnerExceptions: [var only] } => From(only),
        AggregateException aggregate => aggregate.InnerExceptions.Select(From).FirstOrDefault(e => e is not null),
        InvalidOperationException conversion when BinderFailure().Match(conversion.Message) is { Success: true } match =>
            new UsageException($"{DatastreamOptionsValidator.Named(match.Groups["key"].Value)}: '{match.Groups["value"].Value}' is not {Kind(match.Groups["type"].Value)}"),
        FormatException or InvalidDataException or System.Text.Json.JsonException => new UsageException($"configuration: {OneLine(error.InnerException is { } inner ? $"{error.Message} {inner.Message}" : error.Message)}"),
        _ => null,
    };

    private static string Kind(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.Int16" => "a whole number",
        "System.Double" => "a number",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "a duration (e.g. 00:00:00.200)",
        _ => $"a valid {type}",
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    [GeneratedRegex("""^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'""", RegexOptions.Singleline)]
    private static partial Regex BinderFailure();
}
