using System.Text.Json;
using Datastream.Pipelines.Log;

namespace Datastream.IntegrationTests.Chaos;

/// <summary>
/// The verdict of a chaos run, independent of the product's own counters: every input line once in rides_raw, every
/// valid ride once in rides_result, the index and the lake, every invalid line and every injected bad result once in
/// rides_dlq (one envelope per source topic, partition and offset, of the right kind). Each problem is one line naming
/// the sink, how many, and the first ride ids or offsets concerned.
/// </summary>
public sealed class ChaosAudit
{
    private const int Examples = 8;

    private readonly List<string> _problems = [];
    private readonly List<string> _figures = [];

    public IReadOnlyList<string> Problems => _problems;

    public IReadOnlyList<string> Figures => _figures;

    /// <param name="logHonoursTransactions">
    /// False on Kafka's mock cluster, which neither stores offsets sent in a transaction nor hides aborted records: a
    /// restarted pipeline redoes its partitions there, so rides_result, either pipeline's dead letters and the lake may
    /// hold a ride twice (counted, not failed): there the audit holds the run to losing nothing.
    /// </param>
    public static ChaosAudit Check(ChaosBacklog backlog, TopicSet topics, IReadOnlyList<LogRecord> raw, IReadOnlyList<LogRecord> result,
        IReadOnlyList<LogRecord> dlq, IReadOnlyList<Guid> indexIds, IReadOnlyList<LakeReader.LakeFile> lake, bool logHonoursTransactions)
    {
        var audit = new ChaosAudit();
        var invalidRawOffsets = audit.CheckRaw(backlog, topics, raw);
        var badResultOffsets = audit.CheckResults(backlog, topics, result, logHonoursTransactions);
        audit.CheckDeadLetters(topics, dlq, invalidRawOffsets, badResultOffsets, logHonoursTransactions);
        audit.CheckIndex(backlog, indexIds);
        audit.CheckLake(backlog, lake, logHonoursTransactions);
        return audit;
    }

    public void AddProblem(string problem) => _problems.Add(problem);

    public void AddFigure(string figure) => _figures.Add(figure);

    /// <summary>Each input line once in rides_raw; returns the offsets of the invalid ones with their expected kind.</summary>
    private Dictionary<Source, string> CheckRaw(ChaosBacklog backlog, TopicSet topics, IReadOnlyList<LogRecord> raw)
    {
        var byLine = raw.GroupBy(r => ChaosBacklog.KeyOf(r.Value)).ToDictionary(g => g.Key, g => g.ToList());
        var lineKeys = backlog.Lines.Select(l => ChaosBacklog.KeyOf(l)).ToList();
        Report($"input lines missing from {topics.Raw} (the producer lost them)",
            lineKeys.Select((k, i) => (k, i)).Where(x => !byLine.ContainsKey(x.k)).Select(x => $"line {x.i}"));
        Report($"input lines twice in {topics.Raw} (a restarted producer sent them again)",
            byLine.Where(g => g.Value.Count > 1).Select(g => string.Join(" and ", g.Value.Select(r => At(r)))));
        var known = lineKeys.ToHashSet();
        Report($"records in {topics.Raw} that are no input line", raw.Where(r => !known.Contains(ChaosBacklog.KeyOf(r.Value))).Select(At));
        _figures.Add($"{topics.Raw}: {raw.Count} records for {backlog.Lines.Count} input lines ({backlog.InvalidKinds.Count} invalid)");
        return raw.Where(r => backlog.InvalidKinds.ContainsKey(ChaosBacklog.KeyOf(r.Value)))
            .ToDictionary(r => new Source(r.Topic, r.Partition, r.Offset), r => backlog.InvalidKinds[ChaosBacklog.KeyOf(r.Value)]);
    }

    /// <summary>Each valid ride in rides_result (once, when compute-cost's exactly once can be proven), each injected bad record once.</summary>
    private Dictionary<Source, string> CheckResults(ChaosBacklog backlog, TopicSet topics,
        IReadOnlyList<LogRecord> result, bool logHonoursTransactions)
    {
        var perRide = new Dictionary<Guid, int>();
        var badOffsets = new Dictionary<Source, string>();
        var injected = new Dictionary<string, int>();
        var unknown = new List<string>();
        foreach (var record in result)
        {
            string key = ChaosBacklog.KeyOf(record.Value);
            if (backlog.BadResultKinds.TryGetValue(key, out string? kind))
            {
                badOffsets[new Source(record.Topic, record.Partition, record.Offset)] = kind;
                injected[key] = injected.GetValueOrDefault(key) + 1;
            }
            else if (RideIdOf(record.Value) is { } id && backlog.ValidRideIds.Contains(id))
            {
                perRide[id] = perRide.GetValueOrDefault(id) + 1;
            }
            else
            {
                unknown.Add(At(record));
            }
        }

        Report($"valid rides missing from {topics.Result}", backlog.ValidRideIds.Where(id => !perRide.ContainsKey(id)).Select(id => $"{id}"));
        var doubled = perRide.Where(p => p.Value > 1).Select(p => $"{p.Key} ×{p.Value}").ToList();
        if (logHonoursTransactions)
        {
            Report($"valid rides more than once in {topics.Result}", doubled);
        }

        Report($"records in {topics.Result} that are neither a valid ride nor an injected bad record", unknown);
        Report($"injected bad records not in {topics.Result} exactly once (the injection failed)",
            backlog.BadResults.Select(b => ChaosBacklog.KeyOf(b)).Where(k => injected.GetValueOrDefault(k) != 1).Select(k => $"×{injected.GetValueOrDefault(k)}"));
        _figures.Add($"{topics.Result}: {result.Count} records, {perRide.Count} distinct valid rides, {doubled.Count} rides more than once"
            + (logHonoursTransactions ? "" : " (allowed on the mock cluster)") + $", {badOffsets.Count} injected bad records");
        return badOffsets;
    }

    /// <summary>One envelope per source record that had to fail, of the expected kind, and none for any other record.</summary>
    private void CheckDeadLetters(TopicSet topics, IReadOnlyList<LogRecord> dlq, Dictionary<Source, string> invalidRaw,
        Dictionary<Source, string> badResults, bool logHonoursTransactions)
    {
        var envelopes = new Dictionary<Source, List<(string Pipeline, string Kind, string At)>>();
        foreach (var record in dlq)
        {
            using var document = JsonDocument.Parse(record.Value);
            var root = document.RootElement;
            var source = root.GetProperty("source");
            var key = new Source(source.GetProperty("topic").GetString()!, source.GetProperty("partition").GetInt32(), source.GetProperty("offset").GetInt64());
            if (!envelopes.TryGetValue(key, out var list))
            {
                envelopes[key] = list = [];
            }

            list.Add((root.GetProperty("pipeline").GetString()!, root.GetProperty("error").GetProperty("kind").GetString()!, At(record)));
        }

        // Both pipelines write their dead letters in transactions: once per source record where the log honours them.
        foreach (var (expected, sink, exactlyOnce) in new[] { (invalidRaw, topics.Raw, logHonoursTransactions), (badResults, topics.Result, logHonoursTransactions) })
        {
            Report($"{sink} records that should have failed with no dead letter in {topics.Dlq}",
                expected.Where(e => !envelopes.ContainsKey(e.Key)).Select(e => $"{e.Key} ({e.Value})"));
            var doubled = expected.Keys.Where(envelopes.ContainsKey).Where(k => envelopes[k].Count > 1)
                .Select(k => $"{k} ×{envelopes[k].Count} by {string.Join("+", envelopes[k].Select(e => e.Pipeline).Distinct())} at {string.Join(", ", envelopes[k].Select(e => e.At))}").ToList();
            if (exactlyOnce)
            {
                Report($"{sink} records with more than one dead letter in {topics.Dlq}", doubled);
            }

            Report($"dead letters in {topics.Dlq} of the wrong kind for their {sink} record",
                expected.Where(e => envelopes.TryGetValue(e.Key, out var list) && list.Any(l => l.Kind != e.Value))
                    .Select(e => $"{e.Key} expected {e.Value}, got {string.Join("/", envelopes[e.Key].Select(l => l.Kind))}"));
            _figures.Add($"{topics.Dlq}: {envelopes.Where(e => e.Key.Topic == sink).Sum(e => e.Value.Count)} envelopes for {expected.Count} failing {sink} records, "
                + $"{doubled.Count} source records with several" + (exactlyOnce ? "" : " (allowed on the mock cluster)"));
        }

        Report($"dead letters in {topics.Dlq} for records that should not fail",
            envelopes.Where(e => !invalidRaw.ContainsKey(e.Key) && !badResults.ContainsKey(e.Key))
                .Select(e => $"{e.Key} by {e.Value[0].Pipeline} ({e.Value[0].Kind})"));
    }

    private void CheckIndex(ChaosBacklog backlog, IReadOnlyList<Guid> indexIds)
    {
        var indexed = indexIds.ToHashSet();
        Report("valid rides missing from the index", backlog.ValidRideIds.Where(id => !indexed.Contains(id)).Select(id => $"{id}"));
        Report("rides in the index that are no valid input ride", indexed.Where(id => !backlog.ValidRideIds.Contains(id)).Select(id => $"{id}"));
        Report("rides more than once in the index", indexIds.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}"));
        _figures.Add($"index: {indexIds.Count} rides for {backlog.ValidRideIds.Count} valid input rides");
    }

    private void CheckLake(ChaosBacklog backlog, IReadOnlyList<LakeReader.LakeFile> lake, bool logHonoursTransactions)
    {
        var files = new Dictionary<Guid, List<string>>();
        var unknown = new List<string>();
        foreach (var file in lake)
        {
            foreach (string text in file.RideIds)
            {
                if (Guid.TryParse(text, out var id) && backlog.ValidRideIds.Contains(id))
                {
                    if (!files.TryGetValue(id, out var list))
                    {
                        files[id] = list = [];
                    }

                    list.Add(Path.GetFileName(file.Path));
                }
                else
                {
                    unknown.Add($"{text} in {Path.GetFileName(file.Path)}");
                }
            }
        }

        // Once per ride. On the mock cluster index-and-export's committed offsets are never stored (they are sent in its
        // transactions), so a restarted member reads its partitions from the start and cuts them into other files: the
        // lake can only be held to holding every ride there (duplicates counted, not failed).
        Report("valid rides missing from the lake", backlog.ValidRideIds.Where(id => !files.ContainsKey(id)).Select(id => $"{id}"));
        var doubled = files.Where(f => f.Value.Count > 1).ToList();
        if (logHonoursTransactions)
        {
            Report("rides more than once in the lake", doubled.Select(f => $"{f.Key} ×{f.Value.Count} in {string.Join(", ", f.Value.Distinct())}"));
        }

        Report("lake rows that are no valid input ride", unknown);
        _figures.Add($"lake: {lake.Count} files, {lake.Sum(f => f.RideIds.Count)} rows, {files.Count} distinct valid rides, {doubled.Count} rides doubled"
            + (logHonoursTransactions ? "" : " (allowed on the mock cluster)"));
    }

    private void Report(string what, IEnumerable<string> items)
    {
        var all = items.ToList();
        if (all.Count > 0)
        {
            _problems.Add($"{what}: {all.Count}, e.g. {string.Join("; ", all.Take(Examples))}");
        }
    }

    private static Guid? RideIdOf(byte[] value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("ride_id", out var id) && Guid.TryParse(id.GetString(), out var guid) ? guid : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string At(LogRecord record) => new Source(record.Topic, record.Partition, record.Offset).ToString();

    /// <summary>A record's place: topic[partition]@offset.</summary>
    private readonly record struct Source(string Topic, int Partition, long Offset)
    {
        public override string ToString() => $"{Topic}[{Partition}]@{Offset}";
    }
}
