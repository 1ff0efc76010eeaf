using System.Text.Json;
using Datastream.Core.Clustering;

namespace Datastream.Analytics;

/// <summary>
/// Keeps the trained model, with its training metadata, as JSON at &lt;dataDir&gt;/analytics/kmeans.json so that `run`
/// and the revenue queries reuse one model instead of retraining.
/// </summary>
public sealed class KMeansModelStore(string dataDirectory)
{
    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string FilePath { get; } = Path.Combine(dataDirectory, "analytics", "kmeans.json");

    public void Save(KMeansModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        // Write then rename, so a reader never sees half a file.
        string temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new StoredModel(FormatVersion, model), Json));
        File.Move(temporary, FilePath, overwrite: true);
    }

    /// <summary>The stored model, or null when none was saved; throws InvalidDataException naming the file when it is unreadable.</summary>
    public KMeansModel? Load()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        StoredModel? stored;
        try
        {
            stored = JsonSerializer.Deserialize<StoredModel>(File.ReadAllText(FilePath), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{FilePath} is not a valid KMeans model file: {e.Message}", e);
        }

        if (stored?.Model is not { } model)
        {
            throw new InvalidDataException($"{FilePath} holds no KMeans model");
        }

        if (stored.Format != FormatVersion)
        {
            throw new InvalidDataException($"{FilePath} has model format {stored.Format}; this build reads format {FormatVersion}");
        }

        Check(model);
        return model;
    }

    // JSON that parses can still be nonsense (missing members come back null or zero); reject it here, not at Assign.
    private void Check(KMeansModel model)
    {
        var s = model.Standardization;
        if (s is null || !(s.StdLat > 0) || !(s.StdLon > 0) || !double.IsFinite(s.MeanLat) || !double.IsFinite(s.MeanLon))
        {
            throw new InvalidDataException($"{FilePath} has no valid standardization (standard deviations must be positive)");
        }

        if (model.Centroids is not { Count: > 0 } centroids || model.Training is null)
        {
            throw new InvalidDataException($"{FilePath} has no centroids or no training metadata");
        }

        var ids = centroids.Select(c => c?.Id ?? 0).Order().ToArray();
        if (!ids.SequenceEqual(Enumerable.Range(1, centroids.Count)))
        {
            throw new InvalidDataException($"{FilePath} has centroid ids [{string.Join(", ", ids)}]; expected 1..{centroids.Count}");
        }
    }

    private sealed record StoredModel(int Format, KMeansModel? Model);
}
