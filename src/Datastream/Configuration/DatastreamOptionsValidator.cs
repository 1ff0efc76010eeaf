using System.Globalization;
using Datastream.Core.Dlq;
using Microsoft.Extensions.Options;

namespace Datastream.Configuration;

/// <summary>
/// Checks the host's keys at start (ValidateOnStart): each failure names its key (and, for a seed variable, the
/// variable) and the value, so the CLI can say in one line what to fix.
/// </summary>
public sealed class DatastreamOptionsValidator : IValidateOptions<DatastreamOptions>
{
    public ValidateOptionsResult Validate(string? name, DatastreamOptions options)
    {
        var failures = new List<string>();
        Name(failures, "Topics:Raw", options.Topics.Raw);
        Name(failures, "Topics:Result", options.Topics.Result);
        Name(failures, "Topics:Dlq", options.Topics.Dlq);
        Name(failures, "ComputeCost:Group", options.ComputeCost.Group);
        Name(failures, "IndexAndExport:Group", options.IndexAndExport.Group);
        Whole(failures, "ComputeCost:BatchSize", options.ComputeCost.BatchSize, 1, 1_000_000);
        Whole(failures, "IndexAndExport:BatchSize", options.IndexAndExport.BatchSize, 1, 1_000_000);
        Whole(failures, "ComputeCost:MaxBatchBytes", options.ComputeCost.MaxBatchBytes, 64 * 1024, 1024 * 1024 * 1024);
        Whole(failures, "IndexAndExport:MaxBatchBytes", options.IndexAndExport.MaxBatchBytes, 64 * 1024, 1024 * 1024 * 1024);
        if (options.IndexAndExport.MaxUnindexedRides is { } unindexed)
        {
            Whole(failures, "IndexAndExport:MaxUnindexedRides", unindexed, 0, 10_000_000);
        }

        Whole(failures, "ComputeCost:MaxMessageBytes", options.ComputeCost.MaxMessageBytes, 256, 64 * 1024 * 1024);
        Pacing(failures, "ComputeCost", options.ComputeCost);
        Pacing(failures, "IndexAndExport", options.IndexAndExport);
        if (options.Log.Partitions is { } partitions)
        {
            Whole(failures, "Log:Partitions", partitions, 1, 1024);
        }

        Whole(failures, "Log:ReplicationFactor", options.Log.ReplicationFactor, 1, 16);
        AtLeast(failures, "Log:RetentionHours", options.Log.RetentionHours, 0);
        AtLeast(failures, "Log:RetentionBytes", options.Log.RetentionBytes, 0);
        Whole(failures, "DeadLetters:MaxBytes", options.DeadLetters.MaxBytes, DlqEnvelope.MinMaxBytes, 64 * 1024 * 1024);
        if (options.DeadLetters.PageCacheBytes < 2L * options.DeadLetters.MaxBytes)
        {
            failures.Add($"DeadLetters:PageCacheBytes: '{options.DeadLetters.PageCacheBytes}' holds fewer than two dead letters of DeadLetters:MaxBytes ({options.DeadLetters.MaxBytes}): at least {2L * options.DeadLetters.MaxBytes}");
        }
        foreach (var (level, tariff) in options.Tariffs.Levels)
        {
            AtLeast(failures, $"Tariffs:{level}:Base", tariff.Base, 0);
            AtLeast(failures, $"Tariffs:{level}:PerKm", tariff.PerKm, 0);
            AtLeast(failures, $"Tariffs:{level}:PerMin", tariff.PerMin, 0);
        }

        if (failures.Count == 0)
        {
            Limits(failures, options);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The limits checked against each other (RideLimits.Validate) and against the producer's tariffs.</summary>
    private static void Limits(List<string> failures, DatastreamOptions options)
    {
        var limits = options.Limits;
        if (!limits.TryEarliest(out _))
        {
            failures.Add($"Limits:EarliestTs: '{limits.EarliestTs}' is not an ISO-8601 timestamp (e.g. 2020-01-01T00:00:00Z)");
            return;
        }

        var rideLimits = limits.ToRideLimits();
        try
        {
            rideLimits.Validate();
        }
        catch (ArgumentException e)
        {
            failures.Add(e.Message);
            return;
        }

        foreach (var (level, tariff) in options.Tariffs.Levels)
        {
            AtMost(failures, $"Tariffs:{level}:Base", tariff.Base, "Limits:MaxPriceBase", rideLimits.MaxPriceBase);
            AtMost(failures, $"Tariffs:{level}:PerKm", tariff.PerKm, "Limits:MaxPricePerKm", rideLimits.MaxPricePerKm);
            AtMost(failures, $"Tariffs:{level}:PerMin", tariff.PerMin, "Limits:MaxPricePerMin", rideLimits.MaxPricePerMin);
        }
    }

    private static void AtMost(List<string> failures, string key, double value, string limitKey, double limit)
    {
        if (value > limit)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{key}: {value} is above {limitKey} ({limit}): every ride the producer generates at it would be refused"));
        }
    }

    private static void Pacing(List<string> failures, string section, PipelineOptions pipeline)
    {
        if (pipeline.PollWait <= TimeSpan.Zero)
        {
            failures.Add($"{section}:PollWait: '{pipeline.PollWait}' is not a positive duration (e.g. 00:00:00.200)");
        }

        if (pipeline.MinRetryDelay <= TimeSpan.Zero || pipeline.MaxRetryDelay < pipeline.MinRetryDelay)
        {
            failures.Add($"{section}:MinRetryDelay / MaxRetryDelay: '{pipeline.MinRetryDelay}' / '{pipeline.MaxRetryDelay}' must be positive with MaxRetryDelay ≥ MinRetryDelay");
        }
    }

    private static void Name(List<string> failures, string key, string value)
    {
        if (value.Length == 0 || value.Length > 249 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
        {
            failures.Add($"{Named(key)}: '{value}' is not a valid name (letters, digits, '.', '_' and '-', at most 249)");
        }
    }

    private static void Whole(List<string> failures, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key}: '{value}' is not a whole number between {min} and {max}");
        }
    }

    private static void AtLeast(List<string> failures, string key, double value, double min)
    {
        if (!double.IsFinite(value) || value < min)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{key}: '{value}' is not a number ≥ {min}"));
        }
    }

    /// <summary>"Topics:Raw (RAW_TOPIC)": the key, and the seed's variable that sets it when there is one.</summary>
    internal static string Named(string key) => SeedVariablesSource.VariableOf(key) is { } variable ? $"{key} ({variable})" : key;
}
