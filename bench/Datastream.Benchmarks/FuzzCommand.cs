using System.Diagnostics;
using System.Globalization;
using Datastream.Core.Fuzzing;

namespace Datastream.Benchmarks;

/// <summary>
/// The long fuzz run of issue 11: <c>fuzz [--count N] [--seed S] [--parser standard|course|transform-json]</c>
/// checks each parser's property on N inputs (1,000,000 by default; a random seed unless given) and prints per
/// parser the inputs, accepted/rejected, exceptions, property violations and seconds; each kind of failure with
/// its input seed and a minimized input. <c>--parser P --replay SEED</c> regenerates and checks one input.
/// Exit code 1 when any parser fails its property, 2 on a usage error.
/// </summary>
internal static class FuzzCommand
{
    private const string Usage = "usage: fuzz [--count N] [--seed S] [--parser standard|course|transform-json] [--replay INPUT_SEED]";

    public static int Run(string[] args)
    {
        long count = 1_000_000;
        ulong seed = (ulong)Random.Shared.NextInt64();
        string? parser = null;
        string? replay = null;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            bool known = args[i] is "--count" or "--seed" or "--parser" or "--replay";
            bool ok = args[i] switch
            {
                "--count" => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count > 0,
                "--seed" => ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seed),
                "--parser" => (parser = value) is not null,
                "--replay" => (replay = value) is not null,
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine($"{args[i]}: {(!known ? "unknown option" : value is null ? "missing value" : "invalid value")}\n{Usage}");
                return 2;
            }

            i++;
        }

        IReadOnlyList<FuzzTarget> targets = parser is null ? FuzzTarget.All : [.. FuzzTarget.All.Where(t => t.Name == parser)];
        if (targets.Count == 0 || (replay is not null && parser is null))
        {
            Console.Error.WriteLine(parser is null ? "--replay needs --parser" : $"unknown parser {parser}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        return replay is null ? RunAll(targets, seed, count) : Replay(targets[0], replay);
    }

    private static int RunAll(IReadOnlyList<FuzzTarget> targets, ulong seed, long count)
    {
        bool passed = true;
        foreach (FuzzTarget target in targets)
        {
            var clock = Stopwatch.StartNew();
            FuzzReport report = FuzzRun.Run(target, seed, count);
            Console.WriteLine($"{report.Summary}, {clock.Elapsed.TotalSeconds:0.0} s");
            foreach (FuzzFailure failure in report.Failures)
            {
                Console.Write(failure.Describe());
            }

            passed &= report.Passed;
        }

        return passed ? 0 : 1;
    }

    private static int Replay(FuzzTarget target, string inputSeed)
    {
        byte[] input = FuzzRun.Replay(target, inputSeed);
        Console.WriteLine($"input: {CSharpLiteral.Of(input)}");
        try
        {
            Console.WriteLine(target.NewProperty().Check(input));
            return 0;
        }
        catch (Exception e)
        {
            Console.WriteLine(e);
            return 1;
        }
    }
}
