using System.Diagnostics;

namespace Datastream.Tests;

/// <summary>
/// The Airflow DAG files compile and run the pipelines the way `--until-idle` is meant for. Airflow itself is not
/// installed here, so the DAGs are byte-compiled by Python (syntax), not loaded by Airflow's DagBag.
/// </summary>
public sealed class AirflowDagTests
{
    public static TheoryData<string, string> Dags => new()
    {
        { "datastream_compute_cost.py", "pipeline compute-cost --until-idle" },
        { "datastream_index_and_export.py", "pipeline index-and-export --until-idle" },
    };

    [Theory]
    [MemberData(nameof(Dags))]
    public void TheDag_RunsItsPipelineUntilIdle_EveryFewMinutes_OneRunAtATime(string file, string command)
    {
        string source = RepositoryFiles.Read($"airflow/dags/{file}");
        Assert.Contains(command, source, StringComparison.Ordinal);
        Assert.Contains("catchup=False", source, StringComparison.Ordinal);
        Assert.Contains("max_active_runs=1", source, StringComparison.Ordinal);
        Assert.Contains("schedule=", source, StringComparison.Ordinal);
    }

    public static TheoryData<string> DagFiles => ["datastream_compute_cost.py", "datastream_index_and_export.py"];

    [Theory]
    [MemberData(nameof(DagFiles))]
    public async Task TheDag_Compiles(string file)
    {
        string python = new[] { "/usr/bin/python3", "/usr/local/bin/python3" }.FirstOrDefault(File.Exists)
            ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "python3")).FirstOrDefault(File.Exists)
            ?? "";
        if (python.Length == 0)
        {
            Assert.Skip("python3 is not installed: the DAG files could not be byte-compiled");
        }

        using var output = new TemporaryDirectory();
        // py_compile into a temporary file so no __pycache__ lands in the repository.
        var info = new ProcessStartInfo(python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)");
        info.ArgumentList.Add(RepositoryFiles.PathOf($"airflow/dags/{file}"));
        info.ArgumentList.Add(output.File("dag.pyc"));
        using var process = Process.Start(info)!;
        string errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"{file} does not compile: {errors}");
    }
}
