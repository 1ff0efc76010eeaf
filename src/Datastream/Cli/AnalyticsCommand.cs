using System.CommandLine;
using System.Text.Json;
using Datastream.Analytics;
using Datastream.Core.Clustering;
using Datastream.Core.Reference;
using Datastream.Core.Rides;
using Spectre.Console;

namespace Datastream.Cli;

/// <summary>`datastream analytics train`: KMeans with BigQuery ML semantics on reference pickups (SPEC §4).</summary>
public static class AnalyticsCommand
{
    public static Command Create()
    {
        var command = new Command("analytics", "KMeans clusters of pickups and revenue per cluster and comfort");
        command.Subcommands.Add(Train());
        return command;
    }

    private static Command Train()
    {
        var reference = new Option<string?>("--reference") { Description = "CSV of pickups (date,lat,lon,ID or Date/Time,Lat,Lon,Base); default: built-in synthetic New York" };
        var k = new Option<int>("--k") { Description = "Number of clusters", DefaultValueFactory = _ => 8 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("train", "Train the KMeans model and save it under the data dir") { reference, k, json };
        command.SetAction(parse =>
        {
            using var env = CommandEnvironment.From(parse, CancellationToken.None);
            var options = new KMeansOptions { K = parse.GetValue(k) };
            if (options.K < KMeansOptions.MinimumK || options.K > KMeansOptions.MaximumK)
            {
                throw new UsageException($"--k: {options.K} must be between {KMeansOptions.MinimumK} and {KMeansOptions.MaximumK}");
            }

            var (points, name) = LoadReference(parse.GetValue(reference));
            var model = new PickupClustering().Train(points, options, name);
            var store = new KMeansModelStore(env.Settings.DataDir);
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
