using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Datastream.Cli;

/// <summary>
/// `run`'s one live line on a terminal, redrawn in place by Spectre's live display on <see cref="Hosting.HostLogging.Terminal"/>:
/// produced/s, each pipeline's rate and lag, dead letters, p99 ts → indexed and revenue. Log lines written meanwhile
/// go through the same console (<see cref="Hosting.TerminalLoggerProvider"/>), which prints them above the line. Without
/// a terminal (output redirected, --json, JSON logs) it draws nothing.
/// </summary>
public sealed class RunStatusLine : IAsyncDisposable
{
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(500);

    /// <summary>Rates over the last two seconds: steady enough to read, recent enough to show a stall.</summary>
    private const int RateWindowSamples = 4;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _live;

    private RunStatusLine(IAnsiConsole? terminal, Func<RunStatus> sample)
    {
        _live = terminal is null ? Task.CompletedTask : DrawAsync(terminal, sample);
    }

    /// <summary>Starts drawing on <paramref name="terminal"/> until disposed; with null, does nothing.</summary>
    public static RunStatusLine Start(IAnsiConsole? terminal, Func<RunStatus> sample) => new(terminal, sample);

    /// <summary>The line for <paramref name="now"/>, rates taken against <paramref name="before"/>, <paramref name="seconds"/> earlier.</summary>
    public static string Format(RunStatus now, RunStatus before, double seconds)
    {
        double Rate(long current, long earlier) => seconds > 0 ? Math.Max(0, current - earlier) / seconds : 0;
        string revenue = now.Revenue is { } total
            ? string.Create(CultureInfo.InvariantCulture, $"revenue {total:N2} ({now.RevenueRides:N0} rides)")
            : "revenue pending";
        return string.Create(CultureInfo.InvariantCulture,
            $"produced {Rate(now.Produced, before.Produced):N0}/s · compute-cost {Rate(now.ComputeCost.Consumed, before.ComputeCost.Consumed):N0}/s lag {now.ComputeCost.Lag:N0} · index-and-export {Rate(now.IndexAndExport.Consumed, before.IndexAndExport.Consumed):N0}/s lag {now.IndexAndExport.Lag:N0} · dead letters {now.DeadLetters:N0} · p99 ts→indexed {now.P99TsToIndexedMs:N0} ms · {revenue}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _live;
        _stop.Dispose();
    }

    private async Task DrawAsync(IAnsiConsole terminal, Func<RunStatus> sample)
    {
        var history = new Queue<(long Ticks, RunStatus Status)>();
        // AutoClear: the line goes when the run ends, and the summary takes its place.
        await terminal.Live(Line("starting", terminal.Profile.Width)).AutoClear(true).StartAsync(async context =>
        {
            while (!_stop.IsCancellationRequested)
            {
                long now = Stopwatch.GetTimestamp();
                var status = sample();
                history.Enqueue((now, status));
                while (history.Count > RateWindowSamples + 1)
                {
                    history.Dequeue();
                }

                var (then, before) = history.Peek();
                context.UpdateTarget(Line(Format(status, before, Stopwatch.GetElapsedTime(then, now).TotalSeconds), terminal.Profile.Width));
                context.Refresh();
                try
                {
                    await Task.Delay(RedrawEvery, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
    }

    /// <summary>Cropped to the terminal's width (Spectre would wrap it at a word), so it stays one line however narrow the window.</summary>
    internal static Text Line(string text, int width) => new(text.Length < width ? text : text[..Math.Max(0, width - 2)] + "…");
}
