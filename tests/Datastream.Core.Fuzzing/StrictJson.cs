using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// What every rides_result value must be for any consumer of the topic: valid UTF-8, one JSON document by
/// System.Text.Json's strict defaults, no duplicate keys, every string valid Unicode and every number finite.
/// </summary>
internal static class StrictJson
{
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    public static void Verify(byte[] value)
    {
        if (!Utf8.IsValid(value))
        {
            throw new PropertyViolation("output is not valid UTF-8", Show(value));
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(value, Options);
            VerifyElement(document.RootElement, value);
        }
        catch (JsonException e)
        {
            throw new PropertyViolation("output is not strict JSON", e.Message + " in " + Show(value));
        }
    }

    private static void VerifyElement(JsonElement element, byte[] value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    VerifyText(() => property.Name, value);
                    VerifyElement(property.Value, value);
                }

                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    VerifyElement(item, value);
                }

                break;
            case JsonValueKind.String:
                VerifyText(() => element.GetString(), value);
                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out double number) || !double.IsFinite(number))
                {
                    throw new PropertyViolation("output has a number that is not a finite double", element.GetRawText() + " in " + Show(value));
                }

                break;
        }
    }

    private static void VerifyText(Func<string?> read, byte[] value)
    {
        try
        {
            read();
        }
        catch (InvalidOperationException e)
        {
            // Escaped lone surrogates are JSON grammar but not Unicode text.
            throw new PropertyViolation("output has a string that is not valid Unicode", e.Message + " in " + Show(value));
        }
    }

    internal static string Show(byte[] value) => value.Length <= 2000 ? Encoding.UTF8.GetString(value) : Encoding.UTF8.GetString(value, 0, 2000) + "...";
}
