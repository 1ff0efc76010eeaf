using Datastream.Cli;
using Datastream.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console.Testing;

namespace Datastream.Tests.Hosting;

/// <summary>
/// `run`'s live status line: the figures it shows, and log lines written while it is drawn (through the same Spectre
/// console, as <see cref="TerminalLoggerProvider"/> writes them) come out whole, above it.
/// </summary>
public sealed class RunStatusLineTests
{
    private static readonly RunStatus Before = new(1_000, new RunStatus.Pipeline(900, 100), new RunStatus.Pipeline(800, 100), 5, 120, null, 0);

    [Fact]
    public void The_line_shows_rates_over_the_interval_lags_dead_letters_p99_and_revenue()
    {
        var now = new RunStatus(3_000, new RunStatus.Pipeline(2_900, 12), new RunStatus.Pipeline(2_400, 40), 17, 155.4, 12_345.6m, 1_234);

        string line = RunStatusLine.Format(now, Before, seconds: 2);

        Assert.Equal("produced 1,000/s · compute-cost 1,000/s lag 12 · index-and-export 800/s lag 40 · dead letters 17 · p99 ts→indexed 155 ms · revenue 12,345.60 (1,234 rides)", line);
    }

    [Fact]
    public void Before_the_first_refresh_revenue_is_pending_and_no_time_gives_no_rate()
    {
        string line = RunStatusLine.Format(Before, Before, seconds: 0);

        Assert.Contains("produced 0/s", line, StringComparison.Ordinal);
        Assert.EndsWith("revenue pending", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_line_is_cropped_to_the_terminal_width()
    {
        var text = RunStatusLine.Line(new string('x', 100), 40);

        Assert.Equal(new string('x', 38) + "…", Render(text, 40).TrimEnd());
    }

    [Fact]
    public async Task A_log_line_written_while_the_line_is_live_comes_out_whole_above_it()
    {
        var console = new TestConsole().Width(250).Interactive().EmitAnsiSequences();
        var samples = 0;
        var sampledTwiceAfterTheLog = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logged = false;
        using var provider = new TerminalLoggerProvider(console);
        var logger = provider.CreateLogger("Datastream.Sinks");

        await using (RunStatusLine.Start(console, () =>
        {
            if (Volatile.Read(ref logged) && Interlocked.Increment(ref samples) == 2)
            {
                sampledTwiceAfterTheLog.TrySetResult();
            }

            return Before;
        }))
        {
            logger.Log(LogLevel.Warning, new EventId(7), "the index answered 429, retrying in 200 ms", null, (state, _) => state);
            Volatile.Write(ref logged, true);
            await sampledTwiceAfterTheLog.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }

        string output = console.Output;
        int log = output.IndexOf("Datastream.Sinks[7] the index answered 429, retrying in 200 ms" + Environment.NewLine, StringComparison.Ordinal);
        Assert.True(log >= 0, "the log line is not whole in:\n" + output);
        Assert.Contains("warn", output[..log], StringComparison.Ordinal);
        Assert.True(output.IndexOf("produced 0/s · compute-cost", log, StringComparison.Ordinal) > log, "the live line is not drawn again below the log line in:\n" + output);
    }

    private static string Render(Spectre.Console.Rendering.IRenderable renderable, int width)
    {
        var console = new TestConsole().Width(width);
        console.Write(renderable);
        return console.Output;
    }
}
