namespace Datastream.Warehouse;

/// <summary>
/// The warehouse's SQL, kept as embedded .sql files (like the BigQuery adapter's) and read once when the type loads,
/// so a missing file fails at startup rather than on the first report.
/// </summary>
internal static class WarehouseSql
{
    /// <summary>Placeholder for the lake's glob in <see cref="LakeFiles"/>: table functions take no parameters.</summary>
    public const string LakeGlobPlaceholder = "{lake_glob}";

    /// <summary>Placeholder for the list of files in <see cref="LakeRead"/>.</summary>
    public const string LakeFilesPlaceholder = "{lake_files}";

    /// <summary>Placeholder for <see cref="LakeRead"/> in the queries over lake files.</summary>
    public const string LakePlaceholder = "{lake}";

    /// <summary>The read of the listed lake files that every query over them shares (its options in one place).</summary>
    public static readonly string LakeRead = Load("lake_read.sql");

    public static readonly string LakeFiles = Load("lake_files.sql");
    public static readonly string RidesView = Load("rides_view.sql");
    public static readonly string AssignmentsView = Load("assignments_view.sql");
    public static readonly string Revenue = Load("revenue.sql");
    public static readonly string Assignment = Load("assignment.sql");
    public static readonly string RevenueByComfort = Load("revenue_by_comfort.sql");

    /// <summary>Placeholder for the revenue cache's ids of the files in <see cref="LakeFilesPlaceholder"/>, as a SQL list.</summary>
    public const string FileIdsPlaceholder = "{file_ids}";

    /// <summary>Placeholder for a set of file ids, as the right side of IN.</summary>
    public const string FileIdSetPlaceholder = "{file_id_set}";

    /// <summary>Placeholder for a model's fingerprint, as a SQL string literal.</summary>
    public const string ModelPlaceholder = "{model}";

    /// <summary>Placeholder for the condition on row_hash rows whose repeats are looked for.</summary>
    public const string CandidatesPlaceholder = "{candidates}";

    public static readonly string RevenueCacheSchema = Load("revenue_cache_schema.sql");
    public static readonly string LakeRowsView = Load("lake_rows_view.sql");
    public static readonly string RevenueCacheAddHashes = Load("revenue_cache_add_hashes.sql");
    public static readonly string RevenueCacheMissingRepeats = Load("revenue_cache_missing_repeats.sql");
    public static readonly string RevenueCacheAddRepeats = Load("revenue_cache_add_repeats.sql");
    public static readonly string RevenueCacheFileRevenue = Load("revenue_cache_file_revenue.sql");
    public static readonly string RevenueCacheForget = Load("revenue_cache_forget.sql");
    public static readonly string RevenueCacheSupersededView = Load("revenue_cache_superseded_view.sql");
    public static readonly string RevenueCacheRevenue = Load("revenue_cache_revenue.sql");

    /// <summary>Every SQL text the revenue cache's figures depend on: a change in any of them makes older caches foreign.</summary>
    public static IEnumerable<string> RevenueCacheDependencies =>
    [
        RevenueCacheSchema, LakeRowsView, RevenueCacheAddHashes, RevenueCacheMissingRepeats, RevenueCacheAddRepeats,
        RevenueCacheFileRevenue, RevenueCacheForget, RevenueCacheSupersededView, RevenueCacheRevenue, AssignmentsView, RidesView,
        LakeRead,
    ];

    /// <summary><paramref name="template"/> with the lake glob in place, quoted as a SQL string literal's content.</summary>
    public static string WithLakeGlob(string template, string lakeGlob) =>
        template.Replace(LakeGlobPlaceholder, Quote(lakeGlob), StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="template"/> with <see cref="LakeRead"/> in place of {lake}, and the files in it as a SQL list of
    /// string literals, in the given order.
    /// </summary>
    public static string WithLakeFiles(string template, IReadOnlyList<string> files) =>
        template.Replace(LakePlaceholder, LakeRead, StringComparison.Ordinal).Replace(LakeFilesPlaceholder, "[" + string.Join(", ", files.Select(f => "'" + Quote(f) + "'")) + "]", StringComparison.Ordinal);

    /// <summary><paramref name="template"/> with the files and their cache ids in place, both as SQL lists in the same order.</summary>
    public static string WithLakeFiles(string template, IReadOnlyList<string> files, IReadOnlyList<long> fileIds) =>
        WithLakeFiles(template, files).Replace(FileIdsPlaceholder, "[" + string.Join(", ", fileIds.Select(Integer)) + "]", StringComparison.Ordinal);

    /// <summary><paramref name="template"/> with the file ids in place as a parenthesized SQL list (not empty).</summary>
    public static string WithFileIdSet(string template, IReadOnlyCollection<long> fileIds) =>
        template.Replace(FileIdSetPlaceholder, "(" + string.Join(", ", fileIds.Select(Integer)) + ")", StringComparison.Ordinal);

    /// <summary><paramref name="template"/> with the model's fingerprint in place as a SQL string literal.</summary>
    public static string WithModel(string template, string modelFingerprint) =>
        template.Replace(ModelPlaceholder, "'" + Quote(modelFingerprint) + "'", StringComparison.Ordinal);

    private static string Integer(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Quote(string literalContent) => literalContent.Replace("'", "''", StringComparison.Ordinal);

    private static string Load(string fileName)
    {
        var name = "Datastream.Warehouse.Sql." + fileName;
        using var stream = typeof(WarehouseSql).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded SQL '{name}' is missing from {typeof(WarehouseSql).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
