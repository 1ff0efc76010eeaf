namespace Datastream.Warehouse;

/// <summary>
/// The warehouse's SQL, kept as embedded .sql files (like the BigQuery adapter's) and read once when the type loads,
/// so a missing file fails at startup rather than on the first report.
/// </summary>
internal static class WarehouseSql
{
    /// <summary>Placeholder for the lake's glob in <see cref="LakeFiles"/>: table functions take no parameters.</summary>
    public const string LakeGlobPlaceholder = "{lake_glob}";

    /// <summary>Placeholder for the list of files in <see cref="RidesView"/>.</summary>
    public const string LakeFilesPlaceholder = "{lake_files}";

    public static readonly string LakeFiles = Load("lake_files.sql");
    public static readonly string RidesView = Load("rides_view.sql");
    public static readonly string AssignmentsView = Load("assignments_view.sql");
    public static readonly string Revenue = Load("revenue.sql");
    public static readonly string Assignment = Load("assignment.sql");
    public static readonly string RevenueByComfort = Load("revenue_by_comfort.sql");

    /// <summary><paramref name="template"/> with the lake glob in place, quoted as a SQL string literal's content.</summary>
    public static string WithLakeGlob(string template, string lakeGlob) =>
        template.Replace(LakeGlobPlaceholder, Quote(lakeGlob), StringComparison.Ordinal);

    /// <summary><paramref name="template"/> with the files in place as a SQL list of string literals, in the given order.</summary>
    public static string WithLakeFiles(string template, IReadOnlyList<string> files) =>
        template.Replace(LakeFilesPlaceholder, "[" + string.Join(", ", files.Select(f => "'" + Quote(f) + "'")) + "]", StringComparison.Ordinal);

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
