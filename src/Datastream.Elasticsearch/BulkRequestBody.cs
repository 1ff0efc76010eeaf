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

    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private readonly Utf8JsonWriter _writer;
    private readonly JsonEncodedText _indexName;

    public BulkRequestBody(string indexName)
    {
        this._indexName = JsonEncodedText.Encode(indexName);
        // Validation off: the writer holds one root value at a time and is reset between lines.
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Replaces the body with the given rides. Large bodies keep their buffer for the next batch.</summary>
    public ReadOnlyMemory<byte> Write(IReadOnlyList<FlatRide> rides, int start, int count)
    {
        _buffer.ResetWrittenCount();
        for (int i = start; i < start + count; i++)
        {
            var ride = rides[i];
            _writer.Reset(_buffer);
            _writer.WriteStartObject();
            _writer.WriteStartObject(Index);
            _writer.WriteString(IndexName, _indexName);
            _writer.WriteString(Id, ride.RideId);
            _writer.WriteEndObject();
            _writer.WriteEndObject();
            _writer.Flush();
            NewLine();
            _writer.Reset(_buffer);
            ElasticsearchRideDocument.Write(_writer, ride);
            _writer.Flush();
            NewLine();
        }

        return _buffer.WrittenMemory;
    }

    private void NewLine()
    {
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
    }
}
