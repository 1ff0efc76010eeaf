using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Datastream.Analytics;
using Datastream.Warehouse;

namespace Datastream.Benchmarks.Analytics;

/// <summary>
/// <c>revenue --data-dir DIR [--passes N]</c>: the DuckDB revenue query alone, as `datastream analytics revenue` runs
/// it over &lt;DIR&gt;/lake with the model saved in DIR (train one first: `datastream analytics train --data-dir DIR`).
/// Prints the seconds to open the warehouse, of the process's first query (what a user of the CLI waits for) and of
/// each further query in the same process (what `run`'s revenue refresh does every 10 s). Exit code 2 on a usage error.
/// </summary>
internal static class RevenueQueryCommand
{
    private const string Usage = "usage: revenue --data-dir DIR [--passes N]";

    public static async Task<int> RunAsync(string[] args)
    {
        string dataDir = "";
        int passes = 1;
        bool parsed = BenchArguments.TryApply(args, Usage, (option, value) => option switch
        {
            "--data-dir" => (dataDir = value) is not null,
            "--passes" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out passes) && passes > 0,
            _ => false,
        }, "--data-dir");
        if (!parsed)
        {
            return 2;
        }

        var store = new KMeansModelStore(dataDir);
        if (store.Load() is not { } model)
        {
            Console.Error.WriteLine($"no model in {store.FilePath}: run `datastream analytics train --data-dir {dataDir}` first");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        await using var warehouse = new DuckDbWarehouse(Path.Combine(dataDir, "lake"));
        double openSeconds = clock.Elapsed.TotalSeconds;
        var querySeconds = new List<double>();
        IReadOnlyList<RevenueRow> rows = [];
        for (int pass = 0; pass < passes; pass++)
        {
            clock.Restart();
            rows = await warehouse.RevenueAsync(model);
            querySeconds.Add(Math.Round(clock.Elapsed.TotalSeconds, 3));
        }

        Console.Out.WriteLine(JsonSerializer.Serialize(new
        {
            rides = rows.Sum(r => r.Count),
            cells = rows.Count,
            revenue = Math.Round(rows.Sum(r => r.Revenue), 2),
            open_seconds = Math.Round(openSeconds, 3),
            first_query_seconds = querySeconds[0],
            further_query_seconds = querySeconds.Skip(1),
        }));
        return 0;
    }
}
