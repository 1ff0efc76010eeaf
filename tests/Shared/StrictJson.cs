using System.Text.Json;
using System.Text.Unicode;

namespace Datastream.Testing;

/// <summary>
/// What any JSON consumer of the topics (Kafka Connect, Python, Elasticsearch) can read: RFC 8259 JSON with no
/// NaN/Infinity, finite numbers, valid UTF-8, no lone surrogates, no duplicate keys, nothing after the root value.
/// One checker for the end-to-end tests and the parsers' fuzz properties.
/// </summary>
internal static class StrictJson
{
    /// <summary>Null when <paramref name="value"/> is strict JSON, else what is wrong.</summary>
    public static string? Problem(byte[] value)
    {
        if (!Utf8.IsValid(value))
        {
            return "not valid UTF-8";
        }

        try
        {
            using var document = JsonDocument.Parse(value);
            return Problem(document.RootElement, "$");
        }
        catch (JsonException e)
        {
            return $"not JSON: {e.Message}";
        }
        catch (InvalidOperationException e)
        {
            return $"not readable as text: {e.Message}";
        }
    }

    private static string? Problem(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!names.Add(property.Name))
                    {
                        return $"duplicate key {path}.{property.Name}";
                    }

                    if (Problem(property.Value, $"{path}.{property.Name}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                int index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Problem(item, $"{path}[{index++}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.String:
                _ = element.GetString();
                return null;
            case JsonValueKind.Number:
                return element.TryGetDouble(out double number) && double.IsFinite(number) ? null : $"{path} is not a finite number: {element.GetRawText()}";
            default:
                return null;
        }
    }
}
