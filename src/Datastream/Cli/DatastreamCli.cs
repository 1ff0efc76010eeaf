using System.CommandLine;
using Datastream.Configuration;
using Datastream.Hosting;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Running;

namespace Datastream.Cli;

/// <summary>The `datastream` command line (SPEC §5): exit 0 on success, 1 on a runtime failure, 2 on a usage or configuration error.</summary>
public static class DatastreamCli
{
    public const int Success = 0;
    public const int RuntimeFailure = 1;
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Datastream: real-time ride pricing and analytics")
        {
            GlobalOptions.Config,
            GlobalOptions.DataDir,
            GlobalOptions.Verbose,
        };
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ProduceCommand.Create());
        root.Subcommands.Add(PipelineCommand.Create());
        root.Subcommands.Add(TopicsCommand.Create());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(AnalyticsCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(KibanaCommand.Create());
        root.Options.OfType<VersionOption>().Single().Action = new VersionAction();

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {parse.Errors[0].Message} (see 'datastream {string.Join(' ', CommandPath(parse))} --help')");
            return UsageError;
        }

        using var shutdown = new ShutdownSignal();
        try
        {
            // Our own signal handling finishes the batch in hand; the library's would cancel after a timeout.
            return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, shutdown.Token);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (UnknownTopicException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (PipelineFailedException e)
        {
            // One line naming the pipeline that died; a missing topic stays what it is, a configuration error.
            Console.Error.WriteLine($"error: {e.Message}");
            return e.InnerException is UnknownTopicException ? UsageError : RuntimeFailure;
        }
        catch (OperationCanceledException) when (shutdown.Token.IsCancellationRequested)
        {
            return Success;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            if (ProcessEnvironment.Variables().Get("DATASTREAM_DEBUG") is "1" or "true")
            {
                Console.Error.WriteLine(e);
            }

            return RuntimeFailure;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Push(result.Command.Name);
        }

        return names;
    }
}
