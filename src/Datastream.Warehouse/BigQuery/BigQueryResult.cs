namespace Datastream.Warehouse.BigQuery;

/// <summary>
/// A finished query's result: field names from <c>schema.fields</c> and every row's cells as BigQuery's JSON gives them
/// (strings, or null for NULL), across all pages.
/// </summary>
public sealed record BigQueryResult(string JobId, IReadOnlyList<string> FieldNames, IReadOnlyList<IReadOnlyList<string?>> Rows);
