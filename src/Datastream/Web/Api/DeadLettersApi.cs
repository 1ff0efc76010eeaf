using System.Text;
using Datastream.Core.Dlq;

namespace Datastream.Web.Api;

/// <summary>/api/dead-letters: the recent envelopes of rides_dlq, filtered by kind and pipeline, with totals per kind.</summary>
public static class DeadLettersApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dead-letters", (string? kind, string? pipeline, int? offset, int? limit, RunningSystem system) =>
        {
            RejectionKind? wanted = null;
            if (kind is { Length: > 0 })
            {
                if (!RejectionKindNames.TryParse(kind, out var parsed))
                {
                    return Results.Problem($"kind: '{kind}' is not one of {string.Join(", ", Enum.GetValues<RejectionKind>().Select(k => k.WireName()))}", statusCode: StatusCodes.Status400BadRequest);
                }

                wanted = parsed;
            }

            if (limit is < 1 or > 500 || offset is < 0)
            {
                return Results.Problem("offset must be ≥ 0 and limit between 1 and 500", statusCode: StatusCodes.Status400BadRequest);
            }

            var (matching, page) = system.DeadLetters.Browse(wanted, pipeline is { Length: > 0 } ? pipeline : null, offset ?? 0, limit ?? 50);
            return Results.Ok(new
            {
                totals = Totals(system.DeadLetters),
                unreadable = system.DeadLetters.Unreadable,
                feed_error = system.DeadLetters.Failure,
                matching,
                dead_letters = page.Select(Describe),
            });
        });
    }

    public static Dictionary<string, long> Totals(DeadLetterFeed feed)
    {
        var totals = feed.Totals();
        return Enum.GetValues<RejectionKind>().ToDictionary(k => k.WireName(), k => totals.GetValueOrDefault(k));
    }

    public static object Describe(DeadLetterEntry entry)
    {
        var letter = entry.Letter;
        return new
        {
            partition = entry.Partition,
            offset = entry.Offset,
            pipeline = letter.Pipeline,
            kind = letter.Kind.WireName(),
            path = letter.Path,
            message = letter.Message,
            source = new { topic = letter.Source.Topic, partition = letter.Source.Partition, offset = letter.Source.Offset, timestamp = letter.Source.TimestampUtc },
            payload = PayloadText(letter.Payload),
            payload_bytes = letter.PayloadBytes,
            payload_truncated = letter.PayloadTruncated,
            failed_at = letter.FailedAtUtc,
        };
    }

    /// <summary>The payload as text when it is UTF-8, else as base64 (as the envelope itself carries it).</summary>
    public static string PayloadText(byte[] payload)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            return "base64:" + Convert.ToBase64String(payload);
        }
    }
}
