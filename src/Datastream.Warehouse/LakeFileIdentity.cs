namespace Datastream.Warehouse;

/// <summary>
/// A local lake file as the revenue cache knows it: its path and what changes when the file is replaced. The lake
/// publishes a file by renaming a new one over its path (LocalDirectoryLakeStore), so a replaced file has a new
/// modification time, and most likely a new size; a file is never rewritten in place.
/// </summary>
/// <param name="Path">The full path, with '/' separators, as DuckDB's glob lists it.</param>
/// <param name="Size">The length in bytes.</param>
/// <param name="ModifiedTicks">The last write time, in UTC ticks.</param>
internal sealed record LakeFileIdentity(string Path, long Size, long ModifiedTicks)
{
    /// <summary>The file's identity now; null when it is gone (removed since it was listed).</summary>
    public static LakeFileIdentity? Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new LakeFileIdentity(path, info.Length, info.LastWriteTimeUtc.Ticks) : null;
    }
}
