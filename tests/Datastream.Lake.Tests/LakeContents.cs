using Datastream.Core.Rides;

namespace Datastream.Lake.Tests;

/// <summary>What a store holds under a prefix, read back through the store and Parquet.Net.</summary>
internal static class LakeContents
{
    public static async Task<IReadOnlyList<(string Key, IReadOnlyList<FlatRide> Rides)>> ReadAsync(ILakeStore store, string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in store.ListAsync(prefix))
        {
            keys.Add(key);
        }

        keys.Sort(StringComparer.Ordinal);
        var files = new List<(string, IReadOnlyList<FlatRide>)>();
        foreach (var key in keys)
        {
            await using var stream = await store.OpenReadAsync(key);
            files.Add((key, await RideParquetFormat.ReadAsync(stream)));
        }

        return files;
    }
}
