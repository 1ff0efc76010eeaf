using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Datastream.Hosting;

/// <summary>Logs go to stderr so stdout stays clean for data (tail, --json); DATASTREAM_LOG_FORMAT=json gives JSON lines.</summary>
public static class HostLogging
{
    public static ILoggerFactory Create(LogLevel level)
    {
        bool json = string.Equals(Environment.GetEnvironmentVariable("DATASTREAM_LOG_FORMAT"), "json", StringComparison.OrdinalIgnoreCase);
        return LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(level);
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
        });
    }
}
