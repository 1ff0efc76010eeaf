using System.Diagnostics;
using System.Text.Json;

namespace Datastream.Tests;

/// <summary>
/// The Airflow DAG files, executed by Python against a stand-in of the two Airflow classes they use (Airflow itself is
/// not installed here): the DAG each defines, its schedule and the command its task runs. A real DagBag load was not
/// possible on this machine.
/// </summary>
public sealed class AirflowDagTests
{
    // The stand-in records what the DAG file asks of Airflow's DAG and BashOperator, then prints it as JSON.
    private const string Harness = """
        import json, runpy, sys, types
        captured = {}
        class DAG:
            def __init__(self, **kwargs):
                self.kwargs = kwargs
                self.tasks = []
            def __enter__(self):
                DAG.current = self
                return self
            def __exit__(self, *exc):
                DAG.current = None
        class BashOperator:
            def __init__(self, task_id, bash_command):
                DAG.current.tasks.append({"task_id": task_id, "bash_command": bash_command})
        airflow = types.ModuleType("airflow"); airflow.DAG = DAG
        operators = types.ModuleType("airflow.operators"); bash = types.ModuleType("airflow.operators.bash")
        bash.BashOperator = BashOperator
        sys.modules.update({"airflow": airflow, "airflow.operators": operators, "airflow.operators.bash": bash})
        sys.path.insert(0, sys.argv[2])
        dag = runpy.run_path(sys.argv[1])["dag"]
        k = dag.kwargs
        print(json.dumps({"dag_id": k["dag_id"], "schedule_seconds": k["schedule"].total_seconds(), "catchup": k["catchup"],
                          "max_active_runs": k["max_active_runs"], "retries": k["default_args"]["retries"], "tasks": dag.tasks}))
        """;

    public static TheoryData<string, string, string> Dags => new()
    {
        { "datastream_compute_cost.py", "datastream_compute_cost", "datastream pipeline compute-cost --until-idle" },
        { "datastream_index_and_export.py", "datastream_index_and_export", "datastream pipeline index-and-export --until-idle" },
    };

    [Theory]
    [MemberData(nameof(Dags))]
    public async Task TheDag_RunsItsPipelineUntilIdle_EveryFiveMinutes_OneRunAtATime(string file, string dagId, string command)
    {
        string python = RequiredTool.TryFind("python3") ?? "";
        if (python.Length == 0)
        {
            Assert.Skip("python3 is not installed: the DAG files could not be executed");
        }

        string dags = RepositoryFiles.PathOf("airflow/dags");
        var info = new ProcessStartInfo(python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        // No __pycache__ in the repository.
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        info.Environment.Remove("DATASTREAM_CLI");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Harness);
        info.ArgumentList.Add(Path.Combine(dags, file));
        info.ArgumentList.Add(dags);
        using var process = Process.Start(info)!;
        // A python that never ends fails the test after two minutes instead of holding the whole run.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bounded.CancelAfter(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(bounded.Token);
        string errors;
        try
        {
            errors = await process.StandardError.ReadToEndAsync(bounded.Token);
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 on {file} did not end within two minutes");
        }

        Assert.True(process.ExitCode == 0, $"{file} does not load: {errors}");

        var dag = JsonDocument.Parse(await stdout).RootElement;
        Assert.Equal(dagId, dag.GetProperty("dag_id").GetString());
        Assert.Equal(300, dag.GetProperty("schedule_seconds").GetDouble());
        Assert.False(dag.GetProperty("catchup").GetBoolean());
        Assert.Equal(1, dag.GetProperty("max_active_runs").GetInt32());
        var task = Assert.Single(dag.GetProperty("tasks").EnumerateArray());
        Assert.Equal(command, task.GetProperty("bash_command").GetString());
    }
}
