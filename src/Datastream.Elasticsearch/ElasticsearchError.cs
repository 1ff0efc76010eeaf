using System.Text;
using System.Text.Json;

namespace Datastream.Elasticsearch;

/// <summary>
/// Elasticsearch's error object as one line: "&lt;type&gt;: &lt;reason&gt;", followed by the innermost
/// "caused by" (where a mapping error says which value failed to parse).
/// </summary>
internal static class ElasticsearchError
{
    public static string Describe(JsonElement error)
    {
        if (error.ValueKind == JsonValueKind.String)
        {
            return OneLine(error.GetString() ?? "");
        }

        if (error.ValueKind != JsonValueKind.Object)
        {
            return OneLine(error.GetRawText());
        }

        var text = new StringBuilder(TypeAndReason(error));
        var cause = error;
        int depth = 0;
        while (cause.TryGetProperty("caused_by", out var inner) && inner.ValueKind == JsonValueKind.Object && depth++ < 8)
        {
            cause = inner;
        }

        if (depth > 0)
        {
            text.Append(" (caused by ").Append(TypeAndReason(cause)).Append(')');
        }

        return OneLine(text.ToString());
    }

    /// <summary>The error of a whole-request failure body ({"error": {...}, "status": n}), or null when there is none.</summary>
    public static string? FromResponseBody(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error)
                ? Describe(error)
                : null;
        }
        catch (JsonException)
        {
            return OneLine(Encoding.UTF8.GetString(body.Span[..Math.Min(body.Length, 300)]));
        }
    }

    /// <summary>The error's type, e.g. index_not_found_exception, or null.</summary>
    public static string? TypeOf(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("type", out var type)
                ? type.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string TypeAndReason(JsonElement error)
    {
        string type = error.TryGetProperty("type", out var t) ? t.GetString() ?? "error" : "error";
        return error.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? $"{type}: {r.GetString()}" : type;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
