using System.CommandLine;
using Datastream.Configuration;
using Datastream.Hosting;
using Microsoft.Extensions.Logging;

namespace Datastream.Cli;

/// <summary>What a command needs from the host: settings, logging, and the shutdown token.</summary>
public sealed class CommandEnvironment : IDisposable
{
    private CommandEnvironment(DatastreamSettings settings, ILoggerFactory loggers, LogLevel level, CancellationToken stop)
    {
        Level = level;
        Settings = settings;
        Loggers = loggers;
        Stop = stop;
    }

    public DatastreamSettings Settings { get; }
    public ILoggerFactory Loggers { get; }

    /// <summary>The least severe level logged (--verbose: Debug).</summary>
    public LogLevel Level { get; }

    /// <summary>Cancelled by Ctrl-C / SIGTERM.</summary>
    public CancellationToken Stop { get; }

    public static CommandEnvironment From(ParseResult parse, CancellationToken stop)
    {
        var settings = SettingsLoader.Load(parse.GetValue(GlobalOptions.Config), parse.GetValue(GlobalOptions.DataDir));
        var level = parse.GetValue(GlobalOptions.Verbose) ? LogLevel.Debug : LogLevel.Information;
        return new CommandEnvironment(settings, HostLogging.Create(level), level, stop);
    }

    public ILogger<T> Logger<T>() => Loggers.CreateLogger<T>();

    /// <summary>Completes (without throwing) once Ctrl-C or SIGTERM asked the command to stop.</summary>
    public Task UntilStoppedAsync() => Task.Delay(Timeout.Infinite, Stop).ContinueWith(_ => { }, TaskScheduler.Default);

    public void Dispose() => Loggers.Dispose();
}
