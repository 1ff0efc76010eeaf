using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Spectre.Console;

namespace Datastream.Hosting;

/// <summary>
/// Logs go to stderr so stdout stays clean for data (tail, --json); DATASTREAM_LOG_FORMAT=json gives one JSON object
/// per line, with each message's named values (pipeline, ride_id, ...) as fields of its "State".
/// </summary>
/// <param name="Level">The least severe level logged (--verbose: Debug).</param>
/// <param name="Json">LogFormat (DATASTREAM_LOG_FORMAT) is json.</param>
public sealed record HostLogging(LogLevel Level, bool Json)
{
    /// <summary>
    /// The terminal's console when stdout and stderr are both a terminal and the logs are text, else null: log lines
    /// then go through it (<see cref="TerminalLoggerProvider"/>), so a live status line drawn on it stays intact.
    /// </summary>
    public IAnsiConsole? Terminal { get; } = !Json && !Console.IsOutputRedirected && !Console.IsErrorRedirected
        ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
        : null;

    /// <summary>The same console setup for the command's host and the web app's.</summary>
    public void Configure(ILoggingBuilder builder)
    {
        builder.ClearProviders();
        builder.SetMinimumLevel(Level);
        // ASP.NET Core logs every request at Information; keep its warnings and errors only.
        builder.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // The host's start-up lines ("Now listening on", content root): `run` says where it listens itself.
        builder.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        if (Terminal is not null)
        {
            builder.AddProvider(new TerminalLoggerProvider(Terminal));
            return;
        }

        builder.AddConsole(o =>
        {
            o.LogToStandardErrorThreshold = LogLevel.Trace;
            o.FormatterName = Json ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple;
        });
        if (Json)
        {
            builder.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
    }
}
