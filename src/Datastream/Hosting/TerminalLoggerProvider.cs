using System.Globalization;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Datastream.Hosting;

/// <summary>
/// Log lines on a terminal, written through the process's one Spectre console (<see cref="HostLogging.Terminal"/>): while
/// `run` draws its live status line on that console, Spectre prints each line above the live line and redraws it,
/// where a line written to stderr beside it would be overwritten or cut through. Same layout as the simple console
/// formatter (`HH:mm:ss info: Category[event] message`); redirected output keeps the console logger unchanged.
/// </summary>
public sealed class TerminalLoggerProvider(IAnsiConsole console) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TerminalLogger(console, categoryName);

    public void Dispose()
    {
    }

    private sealed class TerminalLogger(IAnsiConsole console, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // The host's filters (minimum level, ASP.NET Core at warnings) decide before a call gets here.
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var (name, style) = Level(logLevel);
            var line = new Paragraph();
            line.Append(DateTime.Now.ToString("HH:mm:ss ", CultureInfo.InvariantCulture));
            line.Append(name, style);
            line.Append(string.Create(CultureInfo.InvariantCulture, $": {category}[{eventId.Id}] {formatter(state, exception)}"));
            if (exception is not null)
            {
                line.Append(Environment.NewLine + exception);
            }

            line.Append(Environment.NewLine);
            // One Write per record: the console renders it whole, under its lock, before the live line is redrawn.
            console.Write(line);
        }

        private static (string Name, Style Style) Level(LogLevel level) => level switch
        {
            LogLevel.Trace => ("trce", new Style(Color.Grey)),
            LogLevel.Debug => ("dbug", new Style(Color.Grey)),
            LogLevel.Information => ("info", new Style(Color.Green)),
            LogLevel.Warning => ("warn", new Style(Color.Yellow)),
            LogLevel.Error => ("fail", new Style(Color.White, Color.Maroon)),
            _ => ("crit", new Style(Color.White, Color.Maroon)),
        };
    }
}
