using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Datastream.IntegrationTests;

/// <summary>
/// `run` on a real terminal: a pseudo-terminal from util-linux's `script`, as a user's shell gives it. One live status
/// line with the run's figures, log lines written meanwhile whole, the periodic revenue line at debug (only the final
/// one shows), and with --json no status line but the one JSON object. Redirected output is what the other end-to-end
/// tests check, unchanged.
/// </summary>
public sealed partial class LiveStatusLineTests
{
    [Fact]
    public async Task On_a_terminal_run_draws_its_status_line_and_logs_stay_whole()
    {
        using var dir = new TemporaryDirectory();
        var (drawn, output) = await OnTerminalAsync(dir.Path, "run", "--count", "3000", "--rate", "1000", "--invalid-ratio", "0.05", "--no-web");

        // Drawn while running (the run's end clears it, and the summary takes its place).
        Assert.Matches(StatusLine(), drawn);
        Assert.DoesNotMatch(StatusLine(), output);
        // Logged while the line was live: printed whole, on a line of its own.
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d info: Datastream\.Pipelines\.ComputeCost\.ComputeCostPipeline\[1102\] compute-cost stopped after 3000 records: \d+ results, \d+ dead letters$", output);
        // The refreshes while running (one a second until the lake has rides, then every 10 s) are debug; the final one is info.
        Assert.Single(Regex.Matches(output, "revenue over the lake"));
        Assert.Matches(@"(?m)^produced 3000, consumed 3000: ", output);
    }

    [Fact]
    public async Task With_json_on_a_terminal_run_prints_its_object_and_no_status_line()
    {
        using var dir = new TemporaryDirectory();
        var (drawn, output) = await OnTerminalAsync(dir.Path, "run", "--count", "1000", "--rate", "500", "--no-web", "--json");

        Assert.DoesNotMatch(StatusLine(), drawn);
        var summary = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith('{'));
        Assert.Equal(1000, JsonDocument.Parse(summary).RootElement.GetProperty("produced").GetInt64());
    }

    /// <summary>
    /// The CLI run in a pseudo-terminal 250 columns wide: everything drawn (escape sequences removed), and what the
    /// terminal shows in the end, line by line.
    /// </summary>
    private static async Task<(string Drawn, string Shown)> OnTerminalAsync(string dataDir, params string[] args)
    {
        string script = Testing.RequiredTool.Find("script", "apt-get install -y bsdutils (util-linux's script) to run the terminal tests");
        string command = "stty cols 250 rows 40; exec " + string.Join(' ', new[] { "dotnet", DatastreamProcess.CliPath, "--data-dir", dataDir }.Concat(args).Select(Quote));
        var info = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = dataDir };
        foreach (string arg in new[] { "-q", "-f", "-e", "-c", command, "/dev/null" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["TERM"] = "xterm-256color";
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        // What the terminal shows of each line: the text after its last carriage return (the live line is redrawn from
        // the start of its line, and a log line written meanwhile starts there too, once the live line was erased).
        string drawn = Escapes().Replace(await stdout, "");
        string shown = string.Join('\n', drawn.Split('\n').Select(l => l.TrimEnd('\r')).Select(l => l[(l.LastIndexOf('\r') + 1)..]));
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}; terminal:\n{shown}\nstderr: {await stderr}");
        return (drawn, shown);
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"produced [\d,]+/s · compute-cost [\d,]+/s lag [\d,]+ · index-and-export [\d,]+/s lag [\d,]+ · dead letters [\d,]+ · p99 ts→indexed [\d,]+ ms · revenue")]
    private static partial Regex StatusLine();

    /// <summary>CSI sequences (cursor moves, colours, erase) and the keypad modes a terminal program switches.</summary>
    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]")]
    private static partial Regex Escapes();
}
