using System.CommandLine;
using System.Text.Json;
using Datastream.Analytics;
using Datastream.Core.Clustering;
using Datastream.Core.Reference;
using Datastream.Core.Rides;
using Datastream.Warehouse;
using Spectre.Console;

namespace Datastream.Cli;

/// <summary>`datastream analytics train`: KMeans with BigQuery ML semantics on reference pickups (SPEC §4).</summary>
public static class AnalyticsCommand
{
    public static Command Create()
    {
        var command = new Command("analytics", "KMeans clusters of pickups and revenue per cluster and comfort");
        command.Subcommands.Add(Train());
        command.Subcommands.Add(Revenue());
        command.Subcommands.Add(BigQuery());
        return command;
    }

    /// <summary>`analytics bigquery setup|revenue`: the SQL files of the repository, run through the BigQuery REST API.</summary>
    private static Command BigQuery()
    {
        var nativeTable = new Option<bool>("--native-table") { Description = "Also load the lake into a native table partitioned by hour (the design's low-latency option)" };
        var setup = new Command("setup", "Create the dataset, the external table over the GCS lake, load the reference and train rides.kmeans8") { nativeTable };
        setup.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            var warehouse = env.BigQuery;
            await warehouse.SetupAsync(env.Stop);
            if (parse.GetValue(nativeTable))
            {
                await warehouse.CreateNativeTableAsync(env.Stop);
            }

            Console.Out.WriteLine($"BigQuery setup done in project {warehouse.Options.ProjectId} ({warehouse.Options.Location})");
            return DatastreamCli.Success;
        });
        var revenue = new Command("revenue", "Revenue per cluster and comfort with ML.PREDICT over the external table (JSON)");
        revenue.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            var warehouse = env.BigQuery;
            var rows = await warehouse.RevenueAsync(await LoadOrStartTraining(env.DataDir), env.Stop);
            Console.Out.WriteLine(JsonSerializer.Serialize(RevenueJson(rows)));
            return DatastreamCli.Success;
        });
        return new Command("bigquery", "BigQuery ML: the original design's analysis in BigQuery") { setup, revenue };
    }

    private static Command Revenue()
    {
        var format = new Option<string>("--format") { Description = "table, json or csv", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var command = new Command("revenue", "Revenue per KMeans cluster and comfort over the lake") { format };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            var model = await LoadOrStartTraining(env.DataDir);
            var warehouse = env.Warehouse;
            var rows = await warehouse.RevenueAsync(model, env.Stop);
            switch (parse.GetValue(format))
            {
                case "json":
                    Console.Out.WriteLine(JsonSerializer.Serialize(RevenueJson(rows)));
                    break;
                case "csv":
                    Console.Out.WriteLine("cluster_id,comfort,revenue,n");
                    foreach (var r in rows)
                    {
                        Console.Out.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.ClusterId},{r.Comfort},{r.Revenue:0.00},{r.Count}"));
                    }

                    break;
                default:
                    var table = new Table().AddColumns("cluster_id", "comfort", "revenue", "n");
                    foreach (var r in rows)
                    {
                        table.AddRow(r.ClusterId.ToString(), r.Comfort, r.Revenue.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), r.Count.ToString());
                    }

                    AnsiConsole.Write(table);
                    break;
            }

            return DatastreamCli.Success;
        });
        return command;
    }

    /// <summary>The revenue report's JSON shape (SPEC §4 column names), shared by `analytics revenue` and `run --json`.</summary>
    public static IEnumerable<object> RevenueJson(IEnumerable<RevenueRow> rows) =>
        rows.Select(r => new { cluster_id = r.ClusterId, comfort = r.Comfort, revenue = r.Revenue, n = r.Count });

    /// <summary>
    /// The saved model (read now, so a damaged file fails the command at once), or, when there is none yet, one being
    /// trained on the built-in reference in the background and then saved: training takes seconds, and the pipelines
    /// and the web app start meanwhile (revenue and the pickup map wait for it).
    /// </summary>
    public static Task<KMeansModel> LoadOrStartTraining(string dataDir)
    {
        var store = new KMeansModelStore(dataDir);
        if (store.Load() is { } model)
        {
            return Task.FromResult(model);
        }

        Console.Error.WriteLine($"no KMeans model in {store.FilePath}: training one on {NewYorkReference.Name} (use 'analytics train --reference CSV' for your own)");
        return Task.Run(() =>
        {
            var (points, name) = LoadReference(null);
            var trained = new PickupClustering().Train(points, new KMeansOptions(), name);
            store.Save(trained);
            return trained;
        });
    }

    private static Command Train()
    {
        var reference = new Option<string?>("--reference") { Description = "CSV of pickups (date,lat,lon,ID or Date/Time,Lat,Lon,Base); default: built-in synthetic New York" };
        var k = new Option<int>("--k") { Description = "Number of clusters", DefaultValueFactory = _ => 8 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("train", "Train the KMeans model and save it under the data dir") { reference, k, json };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            var options = new KMeansOptions { K = parse.GetValue(k) };
            if (options.K < KMeansOptions.MinimumK || options.K > KMeansOptions.MaximumK)
            {
                throw new UsageException($"--k: {options.K} must be between {KMeansOptions.MinimumK} and {KMeansOptions.MaximumK}");
            }

            var (points, name) = LoadReference(parse.GetValue(reference));
            var model = new PickupClustering().Train(points, options, name);
            var store = new KMeansModelStore(env.DataDir);
            store.Save(model);
            Print(model, store.FilePath, parse.GetValue(json));
            return DatastreamCli.Success;
        });
        return command;
    }

    /// <summary>The reference pickups: a CSV the user names, or the built-in synthetic New York points.</summary>
    public static (IReadOnlyList<GeoPoint> Points, string Name) LoadReference(string? path)
    {
        if (path is null)
        {
            return (NewYorkReference.Draw(), NewYorkReference.Name);
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"--reference: file '{path}' does not exist");
        }

        using var reader = new StreamReader(path);
        try
        {
            return (ReferencePickupReader.Read(reader, path), Path.GetFileName(path));
        }
        catch (ReferenceFormatException e)
        {
            throw new UsageException($"--reference: {e.Message}");
        }
    }

    private static void Print(KMeansModel model, string path, bool json)
    {
        var t = model.Training;
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                k = t.K,
                iterations = t.Iterations,
                restarts = t.Restarts,
                mean_squared_distance = t.MeanSquaredDistance,
                davies_bouldin_index = t.DaviesBouldinIndex,
                points = t.Points,
                reference = t.Reference,
                standardization = new
                {
                    mean_lon = model.Standardization.MeanLon,
                    std_lon = model.Standardization.StdLon,
                    mean_lat = model.Standardization.MeanLat,
                    std_lat = model.Standardization.StdLat,
                },
                centroids = model.Centroids.Select(c => new { id = c.Id, lat = c.Lat, lon = c.Lon, count = c.Count }),
                model = path,
            }));
            return;
        }

        AnsiConsole.MarkupLine($"k {t.K}, {t.Points} points of {Markup.Escape(t.Reference)}, best of {t.Restarts} restarts (≤ {t.Iterations} iterations each)");
        AnsiConsole.MarkupLine($"mean_squared_distance {t.MeanSquaredDistance:F6}, davies_bouldin_index {t.DaviesBouldinIndex:F6}");
        var table = new Table().AddColumns("id", "lat", "lon", "count");
        foreach (var c in model.Centroids)
        {
            table.AddRow(c.Id.ToString(), c.Lat.ToString("F5"), c.Lon.ToString("F5"), c.Count.ToString());
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"saved to {Markup.Escape(path)}");
    }
}
