using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Datastream.Pipelines.Log;

namespace Datastream.IntegrationTests.Hostile;

/// <summary>
/// Checks what a pipeline made of a sequence of hostile records and neighbours, independently of Datastream's own
/// code: each input offset ends in exactly one output (a priced or indexed ride, or one dead letter of the expected
/// kind), every output is strict JSON, every dead letter fits the cap. Collects every discrepancy, named by entry, so
/// that one run reports them all.
/// </summary>
internal sealed class HostileAudit
{
    /// <summary>DeadLetters:MaxBytes default (design note of issue 11): under 1 MiB, and under Kafka's default message size.</summary>
    public const int MaxDeadLetterBytes = 1_000_000;

    private readonly IReadOnlyList<HostileRecord> _sequence;
    private readonly Dictionary<(int Partition, long Offset), int> _positionOf = [];
    private readonly Dictionary<int, DateTime> _logTimestampOf = [];
    private readonly Dictionary<int, int> _deadLettersOf = [];

    public HostileAudit(IReadOnlyList<HostileRecord> sequence, IReadOnlyList<LogRecord> input)
    {
        this._sequence = sequence;
        var indexOfBytes = new Dictionary<string, int>();
        for (int i = 0; i < sequence.Count; i++)
        {
            indexOfBytes.Add(Fingerprint(sequence[i].Bytes), i);
        }

        foreach (var record in input)
        {
            if (!indexOfBytes.TryGetValue(Fingerprint(record.Value), out int index))
            {
                Failures.Add($"the input topic holds a record that was not written: {Show(record.Value)}");
                continue;
            }

            _positionOf[(record.Partition, record.Offset)] = index;
            _logTimestampOf[index] = record.TimestampUtc;
        }

        foreach (int missing in Enumerable.Range(0, sequence.Count).Except(_logTimestampOf.Keys))
        {
            Failures.Add($"{sequence[missing].Name}: not found in the input topic (the log changed or lost it)");
        }
    }

    public List<string> Failures { get; } = [];

    /// <summary>The rides every accepted record must produce, by result key.</summary>
    private Dictionary<string, (int Index, ExpectedRide Ride)> ExpectedRides() =>
        Enumerable.Range(0, _sequence.Count)
            .Where(i => _sequence[i].Outcome.IsAccepted)
            .SelectMany(i => _sequence[i].Outcome.Rides.Select(r => (Index: i, Ride: r)))
            .ToDictionary(x => x.Ride.Key, x => x);

    /// <summary>compute-cost: every accepted record's rides in rides_result exactly once, priced as expected, strict JSON; nothing else.</summary>
    public void CheckResults(IReadOnlyList<LogRecord> results)
    {
        var expected = ExpectedRides();
        var seen = new HashSet<string>();
        foreach (var result in results)
        {
            if (StrictJson.Problem(result.Value) is { } problem)
            {
                Failures.Add($"rides_result value at {result.Partition}/{result.Offset} is not strict JSON ({problem}): {Show(result.Value)}");
                continue;
            }

            using var document = JsonDocument.Parse(result.Value);
            string key = ExpectedRide.KeyOf(document.RootElement);
            if (!expected.TryGetValue(key, out var match))
            {
                Failures.Add($"rides_result holds a ride no accepted record should give ({key}): {Show(result.Value)}");
                continue;
            }

            if (!seen.Add(key))
            {
                Failures.Add($"{_sequence[match.Index].Name}: {key} is in rides_result twice");
                continue;
            }

            foreach (string difference in match.Ride.Differences(document.RootElement, _logTimestampOf.GetValueOrDefault(match.Index)))
            {
                Failures.Add($"{_sequence[match.Index].Name}: {difference}");
            }
        }

        foreach (var (key, (index, _)) in expected.Where(e => !seen.Contains(e.Key)))
        {
            Failures.Add($"{_sequence[index].Name}: expected accepted, but {key} is not in rides_result{DeadLetterNote(index)}");
        }
    }

    /// <summary>index-and-export of injected records: every accepted record's ride is in the index.</summary>
    public async Task CheckIndexedAsync(Func<Guid, Task<bool>> isIndexed)
    {
        foreach (var (_, (index, ride)) in ExpectedRides())
        {
            if (!await isIndexed(ride.RideId!.Value))
            {
                Failures.Add($"{_sequence[index].Name}: expected indexed, but ride {ride.RideId} is not in the index{DeadLetterNote(index)}");
            }
        }
    }

    /// <summary>
    /// The dead letters <paramref name="pipeline"/> wrote for records of <paramref name="sourceTopic"/>: one per
    /// rejected record, none for an accepted one, of the expected kind and path, within the cap, with the original payload.
    /// </summary>
    public void CheckDeadLetters(IReadOnlyList<LogRecord> dlq, string pipeline, string sourceTopic)
    {
        foreach (var envelope in dlq)
        {
            CheckDeadLetter(envelope, pipeline, sourceTopic);
        }

        for (int i = 0; i < _sequence.Count; i++)
        {
            if (!_sequence[i].Outcome.IsAccepted && _deadLettersOf.GetValueOrDefault(i) == 0 && _logTimestampOf.ContainsKey(i))
            {
                Failures.Add($"{_sequence[i].Name}: expected {_sequence[i].Outcome}, but {pipeline} wrote no dead letter for it");
            }
        }
    }

    private void CheckDeadLetter(LogRecord envelope, string pipeline, string sourceTopic)
    {
        if (envelope.Value.Length > MaxDeadLetterBytes)
        {
            Failures.Add($"dead letter at {envelope.Partition}/{envelope.Offset} is {envelope.Value.Length} bytes, over {MaxDeadLetterBytes}: {Show(envelope.Value)}");
        }

        if (StrictJson.Problem(envelope.Value) is { } problem)
        {
            Failures.Add($"dead letter at {envelope.Partition}/{envelope.Offset} is not strict JSON ({problem}): {Show(envelope.Value)}");
            return;
        }

        using var document = JsonDocument.Parse(envelope.Value);
        var root = document.RootElement;
        if (String(root, "pipeline") != pipeline)
        {
            return;
        }

        var source = root.GetProperty("source");
        var at = (source.GetProperty("partition").GetInt32(), source.GetProperty("offset").GetInt64());
        if (String(source, "topic") != sourceTopic || !_positionOf.TryGetValue(at, out int index))
        {
            Failures.Add($"dead letter of {pipeline} names a source that is not one of the records written: {Show(envelope.Value)}");
            return;
        }

        var entry = _sequence[index];
        _deadLettersOf[index] = _deadLettersOf.GetValueOrDefault(index) + 1;
        var error = root.GetProperty("error");
        string kind = String(error, "kind") ?? "";
        string path = String(error, "path") ?? "";
        string said = $"{kind} at {path}: {String(error, "message")}";
        if (_deadLettersOf[index] > 1)
        {
            Failures.Add($"{entry.Name}: dead-lettered {_deadLettersOf[index]} times ({said})");
        }
        else if (entry.Outcome.IsAccepted)
        {
            Failures.Add($"{entry.Name}: expected accepted, but dead-lettered ({said})");
        }
        else if (kind == DeadLetterKinds.Internal || (entry.Outcome.Kind is { } expectedKind && kind != expectedKind)
            || (entry.Outcome.Path is { } expectedPath && path != expectedPath))
        {
            Failures.Add($"{entry.Name}: expected {entry.Outcome}, got {said}");
        }

        CheckPayload(entry, root);
    }

    /// <summary>The original bytes, whole; or, when truncated, a prefix with the original's size and SHA-256.</summary>
    private void CheckPayload(HostileRecord entry, JsonElement envelope)
    {
        byte[] carried = envelope.TryGetProperty("payload", out var text)
            ? Encoding.UTF8.GetBytes(text.GetString() ?? "")
            : envelope.TryGetProperty("payload_base64", out var base64) ? base64.GetBytesFromBase64() : [];
        bool truncated = envelope.TryGetProperty("payload_truncated", out var flag) && flag.ValueKind == JsonValueKind.True;
        if (truncated != entry.Outcome.Truncated)
        {
            Failures.Add($"{entry.Name}: payload_truncated is {truncated}, expected {entry.Outcome.Truncated}");
        }

        if (!truncated)
        {
            if (!carried.AsSpan().SequenceEqual(entry.Bytes))
            {
                Failures.Add($"{entry.Name}: the dead letter's payload ({carried.Length} bytes) is not the original ({entry.Bytes.Length} bytes)");
            }

            foreach (string field in new[] { "payload_truncated", "payload_bytes", "payload_sha256" }.Where(f => envelope.TryGetProperty(f, out _)))
            {
                Failures.Add($"{entry.Name}: an untruncated dead letter carries {field}");
            }

            return;
        }

        long size = envelope.TryGetProperty("payload_bytes", out var bytes) && bytes.TryGetInt64(out long n) ? n : -1;
        string sha = String(envelope, "payload_sha256") ?? "";
        if (size != entry.Bytes.Length)
        {
            Failures.Add($"{entry.Name}: payload_bytes is {size}, the original has {entry.Bytes.Length}");
        }

        if (!string.Equals(sha, Convert.ToHexString(SHA256.HashData(entry.Bytes)), StringComparison.OrdinalIgnoreCase))
        {
            Failures.Add($"{entry.Name}: payload_sha256 {sha} is not the SHA-256 of the original bytes");
        }

        if (carried.Length >= entry.Bytes.Length || !entry.Bytes.AsSpan().StartsWith(carried))
        {
            Failures.Add($"{entry.Name}: the truncated payload ({carried.Length} bytes) is not a shorter prefix of the original");
        }
    }

    private string DeadLetterNote(int index) => _deadLettersOf.GetValueOrDefault(index) > 0 ? " (it was dead-lettered)" : "";

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Fingerprint(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    private static string Show(byte[] value)
    {
        string text = Encoding.UTF8.GetString(value, 0, Math.Min(value.Length, 300));
        return value.Length > 300 ? text + "…" : text;
    }
}
