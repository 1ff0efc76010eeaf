using System.Text.Json;

namespace Datastream.Elasticsearch;

/// <summary>
/// Reads a _bulk response: one item per action, in the order of the request. When <c>errors</c> is false every
/// item was stored and the items are not even looked at.
/// </summary>
internal static class BulkResponse
{
    public readonly record struct Item(BulkItemOutcome Outcome, int Status, string? Error);

    /// <summary>Fills <paramref name="items"/> with exactly <paramref name="actions"/> results; throws when the response is not a bulk response.</summary>
    public static void Read(ReadOnlyMemory<byte> body, int actions, List<Item> items)
    {
        items.Clear();
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errors", out var errors) || errors.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new InvalidDataException("Elasticsearch answered _bulk without an 'errors' flag");
        }

        if (errors.ValueKind == JsonValueKind.False)
        {
            for (int i = 0; i < actions; i++)
            {
                items.Add(new Item(BulkItemOutcome.Stored, 200, null));
            }

            return;
        }

        if (!root.TryGetProperty("items", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() != actions)
        {
            throw new InvalidDataException($"Elasticsearch answered _bulk of {actions} actions without one item per action");
        }

        foreach (var wrapper in list.EnumerateArray())
        {
            // Each item is {"<action>": {...}}; the action is "index" here.
            var result = wrapper.EnumerateObject().FirstOrDefault().Value;
            if (result.ValueKind != JsonValueKind.Object || !result.TryGetProperty("status", out var statusElement) || !statusElement.TryGetInt32(out int status))
            {
                throw new InvalidDataException("Elasticsearch answered a _bulk item without a status");
            }

            if (status is >= 200 and < 300)
            {
                items.Add(new Item(BulkItemOutcome.Stored, status, null));
                continue;
            }

            string error = result.TryGetProperty("error", out var errorElement) ? ElasticsearchError.Describe(errorElement) : $"status {status}";
            var outcome = status == 429 || status >= 500 ? BulkItemOutcome.Retry : BulkItemOutcome.Rejected;
            items.Add(new Item(outcome, status, error));
        }
    }
}
