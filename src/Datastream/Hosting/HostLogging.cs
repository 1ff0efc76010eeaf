using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Datastream.Hosting;

/// <summary>
/// Logs go to stderr so stdout stays clean for data (tail, --json); DATASTREAM_LOG_FORMAT=json gives one JSON object
/// per line, with each message's named values (pipeline, ride_id, ...) as fields of its "State".
/// </summary>
public static class HostLogging
{
    public static ILoggerFactory Create(LogLevel level) => LoggerFactory.Create(builder => Configure(builder, level));

    /// <summary>The same console setup for the CLI's logger factory and the web app's host.</summary>
    public static void Configure(ILoggingBuilder builder, LogLevel level)
    {
        bool json = string.Equals(Environment.GetEnvironmentVariable("DATASTREAM_LOG_FORMAT"), "json", StringComparison.OrdinalIgnoreCase);
        builder.ClearProviders();
        builder.SetMinimumLevel(level);
        // ASP.NET Core logs every request at Information; keep its warnings and errors only.
        builder.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // The host's start-up lines ("Now listening on", content root): `run` says where it listens itself.
        builder.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.AddConsole(o =>
        {
            o.LogToStandardErrorThreshold = LogLevel.Trace;
            o.FormatterName = json ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple;
        });
        if (json)
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
