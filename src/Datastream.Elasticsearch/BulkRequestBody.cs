using System.Buffers;
using System.Text.Json;
using Datastream.Core.Rides;

namespace Datastream.Elasticsearch;

/// <summary>
/// The NDJSON body of one _bulk request: an <c>index</c> action with <c>_id</c> = ride_id per ride (so a replay
/// overwrites instead of adding a duplicate), then the document. Written straight into one reusable buffer with
/// Utf8JsonWriter: no intermediate objects per ride.
/// </summary>
internal sealed class BulkRequestBody
{
    private static readonly JsonEncodedText Index = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText IndexName = JsonEncodedText.Encode("_index");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("_id");

    private readonly ArrayBufferWriter<byte> buffer = new(1 << 20);
    private readonly Utf8JsonWriter writer;
    private readonly JsonEncodedText indexName;

    public BulkRequestBody(string indexName)
    {
        this.indexName = JsonEncodedText.Encode(indexName);
        // Validation off: the writer holds one root value at a time and is reset between lines.
        writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Replaces the body with the given rides. Large bodies keep their buffer for the next batch.</summary>
    public ReadOnlyMemory<byte> Write(IReadOnlyList<FlatRide> rides, int start, int count)
    {
        buffer.ResetWrittenCount();
        for (int i = start; i < start + count; i++)
        {
            var ride = rides[i];
            writer.Reset(buffer);
            writer.WriteStartObject();
            writer.WriteStartObject(Index);
            writer.WriteString(IndexName, indexName);
            writer.WriteString(Id, ride.RideId);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.Flush();
            NewLine();
            writer.Reset(buffer);
            ElasticsearchRideDocument.Write(writer, ride);
            writer.Flush();
            NewLine();
        }

        return buffer.WrittenMemory;
    }

    private void NewLine()
    {
        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
    }
}
