using Parquet;

namespace Datastream.IntegrationTests;

/// <summary>
/// An independent reader of the lake for the checks: opens every Parquet file under year=/month=/day=/hour= with
/// Parquet.Net directly (not through Datastream.Lake) and returns each file's directory hour and rows.
/// </summary>
public static class LakeReader
{
    public sealed record LakeFile(string Path, DateTime Hour, IReadOnlyList<string> RideIds, IReadOnlyList<DateTime> Ts, IReadOnlyList<string> Comforts, IReadOnlyList<double> PriceTotals);

    public static async Task<List<LakeFile>> ReadAsync(string root)
    {
        var files = new List<LakeFile>();
        if (!Directory.Exists(root))
        {
            return files;
        }

        foreach (string path in Directory.EnumerateFiles(root, "*.parquet", SearchOption.AllDirectories))
        {
            var parts = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar).Where(p => p.Contains('=')).ToDictionary(p => p[..p.IndexOf('=')], p => int.Parse(p[(p.IndexOf('=') + 1)..]));
            var hour = new DateTime(parts["year"], parts["month"], parts["day"], parts["hour"], 0, 0, DateTimeKind.Utc);
            await using var stream = File.OpenRead(path);
            await using var reader = await ParquetReader.CreateAsync(stream);
            var fields = reader.Schema.DataFields.ToDictionary(f => f.Name);
            var ids = new List<string>();
            var ts = new List<DateTime>();
            var comforts = new List<string>();
            var prices = new List<double>();
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                int n = checked((int)group.RowCount);
                var groupIds = new string?[n];
                await group.ReadAsync(fields["ride_id"], groupIds.AsMemory());
                var groupTs = new DateTime[n];
                // Reading ts as DateTime fails unless the column really is a Parquet timestamp.
                await group.ReadAsync<DateTime>(fields["ts"], groupTs.AsMemory());
                ids.AddRange(groupIds.Select(id => id ?? throw new InvalidDataException($"{path}: null ride_id")));
                ts.AddRange(groupTs.Select(t => t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc)));
                var groupComforts = new string?[n];
                await group.ReadAsync(fields["comfort"], groupComforts.AsMemory());
                comforts.AddRange(groupComforts.Select(c => c ?? ""));
                var groupPrices = new double[n];
                await group.ReadAsync<double>(fields["price_total"], groupPrices.AsMemory());
                prices.AddRange(groupPrices);
            }

            files.Add(new LakeFile(path, hour, ids, ts, comforts, prices));
        }

        return files;
    }
}
