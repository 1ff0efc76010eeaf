using System.Globalization;
using Datastream.Pipelines.Lake;

namespace Datastream.Lake;

/// <summary>
/// Where the lake stages files before the log commits them: under <c>_datastream/staging/&lt;prefix&gt;p=&lt;partition&gt;/</c>,
/// outside the prefix that DuckDB's glob and BigQuery's <c>gs://bucket/prefix*</c> read, one directory per committed
/// range <c>&lt;start&gt;-&lt;end&gt;/</c> holding the files by their key below the prefix with a <c>.staged</c> suffix
/// (so that even an empty prefix keeps them out of <c>*.parquet</c> globs), and the range's completion marker
/// <c>&lt;start&gt;-&lt;end&gt;.range</c> beside it.
/// </summary>
internal sealed class LakeStagingKeys(string prefix)
{
    private const string Root = "_datastream/staging/";
    private const string StagedSuffix = ".staged";
    private const string MarkerSuffix = ".range";

    public string Partition(int sourcePartition) => string.Create(CultureInfo.InvariantCulture, $"{Root}{prefix}p={sourcePartition}/");

    public string Range(LakeCommitRange range) =>
        string.Create(CultureInfo.InvariantCulture, $"{Partition(range.SourcePartition)}{range.Start}-{range.End}/");

    public string Marker(LakeCommitRange range) =>
        string.Create(CultureInfo.InvariantCulture, $"{Partition(range.SourcePartition)}{range.Start}-{range.End}{MarkerSuffix}");

    /// <summary>The staged key of a file whose published key is <paramref name="finalKey"/> (which starts with the prefix).</summary>
    public string Staged(LakeCommitRange range, string finalKey) => Range(range) + finalKey[prefix.Length..] + StagedSuffix;

    /// <summary>The published key of a staged file, when <paramref name="stagedKey"/> is one of the range's files.</summary>
    public bool TryFinalKey(LakeCommitRange range, string stagedKey, out string finalKey)
    {
        var directory = Range(range);
        finalKey = "";
        if (!stagedKey.StartsWith(directory, StringComparison.Ordinal) || !stagedKey.EndsWith(StagedSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        finalKey = prefix + stagedKey[directory.Length..^StagedSuffix.Length];
        return true;
    }

    /// <summary>Reads a range back from its marker's key; false for any other key.</summary>
    public bool TryParseMarker(int sourcePartition, string key, out LakeCommitRange range)
    {
        range = default;
        var partition = Partition(sourcePartition);
        return key.StartsWith(partition, StringComparison.Ordinal)
            && key.EndsWith(MarkerSuffix, StringComparison.Ordinal)
            && TryParseBounds(sourcePartition, key.AsSpan(partition.Length, key.Length - partition.Length - MarkerSuffix.Length), out range);
    }

    /// <summary>Reads the range a staged file belongs to back from its directory in the key; false for any other key.</summary>
    public bool TryParseStagedFile(int sourcePartition, string key, out LakeCommitRange range)
    {
        range = default;
        var partition = Partition(sourcePartition);
        if (!key.StartsWith(partition, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key.AsSpan(partition.Length);
        var slash = rest.IndexOf('/');
        return slash > 0 && TryParseBounds(sourcePartition, rest[..slash], out range);
    }

    /// <summary>"&lt;start&gt;-&lt;end&gt;", as a range's directory and its marker name it.</summary>
    private static bool TryParseBounds(int sourcePartition, ReadOnlySpan<char> text, out LakeCommitRange range)
    {
        range = default;
        var dash = text.IndexOf('-');
        if (dash <= 0
            || !long.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
        {
            return false;
        }

        range = new LakeCommitRange(sourcePartition, start, end);
        return true;
    }
}
