using System.CommandLine;
using Datastream.Configuration;
using Datastream.Core.Generation;
using Datastream.Core.Pricing;
using Datastream.Core.Reference;
using Datastream.Pipelines.Producer;

namespace Datastream.Cli;

/// <summary>The producer's options, shared by `produce` and `run`, and how they become a record source and limits.</summary>
public sealed class ProducerOptions
{
    public Option<long?> Count { get; } = new("--count", "-n") { Description = "Stop after N records" };
    public Option<string?> Duration { get; } = new("--duration", "-d") { Description = "Stop after this long (30s, 5m, 1h)" };
    public Option<double?> Rate { get; } = new("--rate", "-r") { Description = "Records per second, 0 = as fast as possible (default: 0 with --count or --from-file, else 100)" };
    public Option<double> InvalidRatio { get; } = new("--invalid-ratio") { Description = "Share of invalid records, spread over every DLQ kind (0..1)" };
    public Option<string?> Reference { get; } = new("--reference") { Description = "CSV of pickup points (date,lat,lon,ID or Date/Time,Lat,Lon,Base); default: built-in New York generator" };
    public Option<int?> Seed { get; } = new("--seed") { Description = "Random seed, for a reproducible stream" };

    public void AddTo(Command command)
    {
        command.Options.Add(Count);
        command.Options.Add(Duration);
        command.Options.Add(Rate);
        command.Options.Add(InvalidRatio);
        command.Options.Add(Reference);
        command.Options.Add(Seed);
    }

    public ProduceLimits Limits(ParseResult parse, bool sourceIsFinite)
    {
        long? count = parse.GetValue(Count);
        string? durationText = parse.GetValue(Duration);
        if (count is not null && durationText is not null)
        {
            throw new UsageException("--count and --duration are alternatives: give one");
        }

        if (count is < 0)
        {
            throw new UsageException($"--count: {count} is negative");
        }

        TimeSpan? duration = durationText is null ? null : DurationParser.Parse(durationText, "--duration");
        double rate = parse.GetValue(Rate) ?? (count is not null || sourceIsFinite ? 0 : 100);
        if (!(rate >= 0) || double.IsInfinity(rate))
        {
            throw new UsageException($"--rate: {rate} must be a number ≥ 0");
        }

        return new ProduceLimits(count, duration, rate);
    }

    public RideGenerator Generator(ParseResult parse, TariffTable tariffs, int maxMessageBytes)
    {
        double invalidRatio = parse.GetValue(InvalidRatio);
        if (!(invalidRatio >= 0 && invalidRatio <= 1))
        {
            throw new UsageException($"--invalid-ratio: {invalidRatio} must be between 0 and 1");
        }

        var random = parse.GetValue(Seed) is { } seed ? new Random(seed) : new Random();
        IPickupSource pickups = new NewYorkPickups(random);
        if (parse.GetValue(Reference) is { } path)
        {
            if (!File.Exists(path))
            {
                throw new UsageException($"--reference: file '{path}' does not exist");
            }

            using var reader = new StreamReader(path);
            try
            {
                pickups = new ReferencePickups(ReferencePickupReader.Read(reader, path), random);
            }
            catch (ReferenceFormatException e)
            {
                throw new UsageException($"--reference: {e.Message}");
            }
        }

        return new RideGenerator(random, pickups, new RideGeneratorOptions
        {
            InvalidRatio = invalidRatio,
            Tariffs = tariffs,
            MaxMessageBytes = maxMessageBytes,
        });
    }
}
