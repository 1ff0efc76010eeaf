using System.CommandLine;
using System.Text.Json;
using Datastream.Core.Dlq;
using Datastream.Hosting;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Replay;
using Spectre.Console;

namespace Datastream.Cli;

/// <summary>`datastream topics list|describe|create|tail`.</summary>
public static class TopicsCommand
{
    public static Command Create()
    {
        var command = new Command("topics", "Inspect and manage topics");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Describe());
        command.Subcommands.Add(CreateTopic());
        command.Subcommands.Add(Tail());
        command.Subcommands.Add(Replay());
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per topic" };
        var command = new Command("list", "List topics with their record counts") { json };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            var log = env.Log;
            var table = new Table().AddColumns("topic", "partitions", "records");
            foreach (string name in await log.ListTopicsAsync(env.Stop))
            {
                var description = await log.DescribeTopicAsync(name, env.Stop);
                if (description is null)
                {
                    continue;
                }

                if (parse.GetValue(json))
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(new { topic = name, partitions = description.Partitions.Count, records = description.RecordCount }));
                }
                else
                {
                    table.AddRow(Markup.Escape(name), description.Partitions.Count.ToString(), description.RecordCount.ToString());
                }
            }

            if (!parse.GetValue(json))
            {
                AnsiConsole.Write(table);
            }

            return DatastreamCli.Success;
        });
        return command;
    }

    private static Command Describe()
    {
        var topic = new Argument<string>("topic") { Description = "Topic name" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("describe", "Partitions, offsets and consumer groups of a topic") { topic, json };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            var log = env.Log;
            string name = parse.GetValue(topic)!;
            var description = await log.DescribeTopicAsync(name, env.Stop) ?? throw new UnknownTopicException(name);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    topic = description.Name,
                    records = description.RecordCount,
                    partitions = description.Partitions.Select(p => new
                    {
                        partition = p.Partition,
                        start_offset = p.StartOffset,
                        end_offset = p.EndOffset,
                        groups = p.CommittedOffsets.ToDictionary(g => g.Key, g => new { committed = g.Value, lag = Math.Max(0, p.EndOffset - g.Value) }),
                    }),
                }));
                return DatastreamCli.Success;
            }

            var table = new Table().AddColumns("partition", "start", "end", "records", "group", "committed", "lag");
            foreach (var p in description.Partitions)
            {
                if (p.CommittedOffsets.Count == 0)
                {
                    table.AddRow(p.Partition.ToString(), p.StartOffset.ToString(), p.EndOffset.ToString(), (p.EndOffset - p.StartOffset).ToString(), "", "", "");
                }

                foreach (var (group, committed) in p.CommittedOffsets)
                {
                    table.AddRow(p.Partition.ToString(), p.StartOffset.ToString(), p.EndOffset.ToString(), (p.EndOffset - p.StartOffset).ToString(),
                        Markup.Escape(group), committed.ToString(), Math.Max(0, p.EndOffset - committed).ToString());
                }
            }

            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(description.Name)}[/]: {description.Partitions.Count} partition(s), {description.RecordCount} records");
            AnsiConsole.Write(table);
            return DatastreamCli.Success;
        });
        return command;
    }

    private static Command CreateTopic()
    {
        var topic = new Argument<string?>("topic") { Description = "Topic name; default: rides_raw, rides_result and rides_dlq", Arity = ArgumentArity.ZeroOrOne };
        var partitions = new Option<int?>("--partitions", "-p") { Description = "Number of partitions (default from configuration)" };
        var command = new Command("create", "Create topics (existing ones are left as they are)") { topic, partitions };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            if (parse.GetValue(partitions) is < 1 or > 1024)
            {
                throw new UsageException($"--partitions: {parse.GetValue(partitions)} must be between 1 and 1024");
            }

            var log = env.Log;
            var names = parse.GetValue(topic) is { } one ? [one] : new[] { env.Topics.Raw, env.Topics.Result, env.Topics.Dlq };
            foreach (string name in names)
            {
                await log.CreateTopicAsync(env.TopicProvisioning.SpecFor(name, parse.GetValue(partitions)), env.Stop);
                var description = await log.DescribeTopicAsync(name, env.Stop);
                Console.Out.WriteLine($"{name}: {description?.Partitions.Count} partition(s)");
            }

            return DatastreamCli.Success;
        });
        return command;
    }

    private static Command Replay()
    {
        var dlq = new Argument<string>("dlq-topic") { Description = "The dead-letter topic, e.g. rides_dlq" };
        var to = new Option<string>("--to") { Description = "Topic to send the original payloads to, e.g. rides_raw", Required = true };
        var kind = new Option<string?>("--kind") { Description = "Only dead letters of this kind (invalid_json, encoding, too_large, schema, sink_rejected, internal)" };
        var all = new Option<bool>("--all") { Description = "Replay every dead letter again, not only those not replayed yet" };
        var command = new Command("replay", "Send dead letters' original payloads back to an input topic after a fix upstream") { dlq, to, kind, all };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            RejectionKind? only = null;
            if (parse.GetValue(kind) is { } name)
            {
                only = RejectionKindNames.TryParse(name, out var parsed)
                    ? parsed
                    : throw new UsageException($"--kind: '{name}' is not a dead-letter kind (invalid_json, encoding, too_large, schema, sink_rejected, internal)");
            }

            var log = env.Log;
            string source = parse.GetValue(dlq)!;
            _ = await log.DescribeTopicAsync(source, env.Stop) ?? throw new UnknownTopicException(source);
            var outcome = await new DeadLetterReplay(log, env.Logger<DeadLetterReplay>()).RunAsync(source, parse.GetValue(to)!, only, parse.GetValue(all), env.Stop);
            Console.Out.WriteLine($"replayed {outcome.Replayed} dead letters from {source} to {parse.GetValue(to)}; skipped {outcome.Skipped}");
            return DatastreamCli.Success;
        });
        return command;
    }

    private static Command Tail()
    {
        var topic = new Argument<string>("topic") { Description = "Topic name" };
        var fromBeginning = new Option<bool>("--from-beginning") { Description = "Start at the oldest record and exit at the end" };
        var count = new Option<long?>("--count", "-n") { Description = "Exit after N records" };
        var command = new Command("tail", "Print record values, one per line (JSONL)") { topic, fromBeginning, count };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            var log = env.Log;
            string name = parse.GetValue(topic)!;
            _ = await log.DescribeTopicAsync(name, env.Stop) ?? throw new UnknownTopicException(name);
            bool beginning = parse.GetValue(fromBeginning);
            long limit = parse.GetValue(count) ?? long.MaxValue;
            // A private group that never commits: tailing leaves no trace in the topic's groups.
            await using var consumer = log.CreateConsumer(new ConsumerSpec($"datastream-tail-{Guid.NewGuid():N}", [name])
            {
                WhenNoCommittedOffset = beginning ? StartPosition.Earliest : StartPosition.Latest,
            });
            await using var stdout = Console.OpenStandardOutput();
            await using var output = new BufferedStream(stdout, 1 << 16);
            long printed = 0;
            while (printed < limit && !env.Stop.IsCancellationRequested)
            {
                IReadOnlyList<LogRecord> records;
                try
                {
                    records = await consumer.PollAsync((int)Math.Min(5000, limit - printed), TimeSpan.FromMilliseconds(beginning ? 100 : 500), env.Stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                foreach (var record in records)
                {
                    output.Write(record.Value);
                    output.WriteByte((byte)'\n');
                }

                printed += records.Count;
                if (records.Count == 0)
                {
                    await output.FlushAsync(CancellationToken.None);
                    if (beginning && await consumer.IsAtEndAsync(env.Stop))
                    {
                        break;
                    }
                }
            }

            await output.FlushAsync(CancellationToken.None);
            return DatastreamCli.Success;
        });
        return command;
    }
}
