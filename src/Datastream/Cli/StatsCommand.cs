using System.CommandLine;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Datastream.Hosting;
using Datastream.Pipelines.Accounting;
using Spectre.Console;

namespace Datastream.Cli;

/// <summary>
/// `datastream stats [--check] [--json]`: per topic end offsets, records, and lag per group in records, and the DLQ
/// count, on either engine. --check is the original design's smoke test: exit 1 naming the difference unless every
/// raw record is accounted for in rides_result + rides_dlq.
/// </summary>
public static class StatsCommand
{
    public const int CheckFailed = 1;

    public static Command Create()
    {
        var check = new Option<bool>("--check") { Description = "Exit 1 unless compute-cost has drained rides_raw and every raw record is in rides_result or rides_dlq" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("stats", "Offsets, lag and dead letters of the pipeline topics") { check, json };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            var log = env.Log;
            var topics = env.Topics;
            string group = env.ComputeCost.Group;
            // On Kafka records are counted by reading the topics (transaction markers take offsets): long on a big backlog.
            var counted = new StrongBox<long>();
            IReadOnlyList<TopicStats> stats;
            await using (new StatusLine(() => $"counting records: {Volatile.Read(ref counted.Value):N0} in this partition"))
            {
                stats = await new RideAccounting(log, topics).CollectAsync(new Progress<long>(n => Volatile.Write(ref counted.Value, n)), env.Stop);
            }

            IReadOnlyList<string> problems = [];
            if (parse.GetValue(check))
            {
                // The check tells dead letters apart by source and kind: it reads rides_dlq (long on a big one).
                var read = new StrongBox<long>();
                DeadLetterTally deadLetters;
                await using (new StatusLine(() => $"reading dead letters: {Volatile.Read(ref read.Value):N0}"))
                {
                    deadLetters = await DeadLetterTally.ReadAsync(log, topics.Dlq, new Progress<long>(n => Volatile.Write(ref read.Value, n)), env.Stop);
                }

                problems = RideAccounting.Check(stats, deadLetters, topics, group);
            }
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    engine = log.Engine,
                    topics = stats.Select(s => new
                    {
                        topic = s.Topic,
                        records = s.Records,
                        end_offsets = s.EndOffsets,
                        partitions = s.Partitions.Select(p => new { partition = p.Partition, start_offset = p.StartOffset, end_offset = p.EndOffset }),
                        groups = s.Groups.ToDictionary(g => g, g => new { lag = s.LagOf(g) }),
                    }),
                    dlq = stats.Single(s => s.Topic == topics.Dlq).Records,
                    check = parse.GetValue(check) ? new { ok = problems.Count == 0, problems } : null,
                }));
            }
            else
            {
                var table = new Table().AddColumns("topic", "partitions", "end offsets", "records", "group", "lag");
                foreach (var s in stats)
                {
                    var groups = s.Groups.ToList();
                    if (groups.Count == 0)
                    {
                        table.AddRow(Markup.Escape(s.Topic), s.Partitions.Count.ToString(), s.EndOffsets.ToString(), s.Records.ToString(), "", "");
                    }

                    foreach (string g in groups)
                    {
                        table.AddRow(Markup.Escape(s.Topic), s.Partitions.Count.ToString(), s.EndOffsets.ToString(), s.Records.ToString(), Markup.Escape(g), s.LagOf(g).ToString());
                    }
                }

                AnsiConsole.Write(table);
                Console.Out.WriteLine($"dead letters: {stats.Single(s => s.Topic == topics.Dlq).Records}");
                if (parse.GetValue(check))
                {
                    Console.Out.WriteLine(problems.Count == 0 ? "check: ok, every raw record is accounted for" : "check: FAILED");
                }
            }

            foreach (string problem in problems)
            {
                Console.Error.WriteLine($"check failed: {problem}");
            }

            return problems.Count == 0 ? DatastreamCli.Success : CheckFailed;
        });
        return command;
    }
}
