using System.Text.RegularExpressions;

namespace Datastream.Warehouse.BigQuery;

/// <summary>
/// The BigQuery SQL, embedded from Sql/BigQuery/*.sql (the same files docs/bqml_playbook.md walks through).
/// Placeholders {project}, {location}, {bucket}, {prefix} are replaced in one pass; the values are validated
/// against BigQuery/GCS naming rules first, so none can close a string literal or a quoted identifier.
/// </summary>
public static partial class BigQuerySql
{
    public static readonly string CreateDataset = Load("create_dataset.sql");
    public static readonly string CreateExternalTable = Load("create_external_table.sql");
    public static readonly string LoadReference = Load("load_reference.sql");
    public static readonly string CreateModel = Load("create_model.sql");
    public static readonly string Revenue = Load("revenue.sql");
    public static readonly string CreateNativeTable = Load("create_native_table.sql");

    /// <summary><paramref name="template"/> with every placeholder replaced; an unknown placeholder throws.</summary>
    public static string Render(string template, BigQueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Placeholder().Replace(template, match => match.Groups[1].Value switch
        {
            "project" => options.ProjectId,
            "location" => options.Location,
            "bucket" => options.Bucket,
            "prefix" => options.Prefix,
            var other => throw new InvalidOperationException($"Unknown SQL placeholder '{{{other}}}'."),
        });
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();

    private static string Load(string fileName)
    {
        var name = "Datastream.Warehouse.Sql.BigQuery." + fileName;
        using var stream = typeof(BigQuerySql).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded SQL '{name}' is missing from {typeof(BigQuerySql).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
