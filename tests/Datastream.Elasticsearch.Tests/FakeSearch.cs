using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Datastream.Elasticsearch.Tests;

/// <summary>
/// Evaluates the query DSL the adapter sends over the documents of one index, for real: match_all, bool
/// (filter/must/must_not), term and range (dates compared as instants, numbers as doubles, keywords as text), sort,
/// from/size with Elasticsearch's 10,000 result window, track_total_hits, and the aggregations date_histogram
/// (fixed_interval), terms and sum. Anything else throws, which the server answers with a 400.
/// </summary>
internal sealed class FakeSearch(FakeIndex index)
{
    public JsonObject Count(JsonObject request)
    {
        foreach (var (key, _) in request)
        {
            if (key != "query")
            {
                throw new NotSupportedException($"_count does not take [{key}]");
            }
        }

        return new JsonObject { ["count"] = Matching(request["query"]).Count };
    }

    public JsonObject Search(JsonObject request)
    {
        foreach (var (key, _) in request)
        {
            if (key is not ("query" or "from" or "size" or "sort" or "track_total_hits" or "aggs" or "aggregations"))
            {
                throw new NotSupportedException($"the fake's _search does not take [{key}]");
            }
        }

        var matches = Matching(request["query"]);
        int from = request["from"]?.GetValue<int>() ?? 0;
        int size = request["size"]?.GetValue<int>() ?? 10;
        if (from < 0 || size < 0 || from + size > 10_000)
        {
            throw new InvalidOperationException($"Result window is too large, from + size must be less than or equal to: [10000] but was [{from + size}]");
        }

        var sorted = request["sort"] is JsonArray sort ? Sort(matches, sort) : matches;
        var hits = new JsonArray();
        foreach (var (id, source) in sorted.Skip(from).Take(size))
        {
            hits.Add(new JsonObject { ["_index"] = "rides", ["_id"] = id, ["_source"] = source.DeepClone() });
        }

        var hitsObject = new JsonObject();
        var track = request["track_total_hits"];
        if (track is null || track.GetValueKind() != JsonValueKind.False)
        {
            bool exact = track?.GetValueKind() == JsonValueKind.True;
            hitsObject["total"] = new JsonObject
            {
                ["value"] = exact ? matches.Count : Math.Min(matches.Count, 10_000),
                ["relation"] = exact || matches.Count < 10_000 ? "eq" : "gte",
            };
        }

        hitsObject["hits"] = hits;
        var response = new JsonObject { ["took"] = 1, ["timed_out"] = false, ["hits"] = hitsObject };
        if ((request["aggs"] ?? request["aggregations"]) is JsonObject aggs)
        {
            response["aggregations"] = Aggregate(aggs, matches.Select(m => m.Source).ToList());
        }

        return response;
    }

    private List<(string Id, JsonObject Source)> Matching(JsonNode? query) =>
        index.Documents.Where(d => query is null || Matches(query.AsObject(), d.Value)).Select(d => (d.Key, d.Value)).ToList();

    private bool Matches(JsonObject query, JsonObject document)
    {
        var (kind, body) = query.Single();
        switch (kind)
        {
            case "match_all":
                return true;
            case "bool":
                foreach (var (occur, clauses) in body!.AsObject())
                {
                    var list = clauses is JsonArray array ? array.Select(c => c!.AsObject()).ToList() : [clauses!.AsObject()];
                    bool ok = occur switch
                    {
                        "filter" or "must" => list.All(c => Matches(c, document)),
                        "must_not" => !list.Any(c => Matches(c, document)),
                        _ => throw new NotSupportedException($"bool [{occur}]"),
                    };
                    if (!ok)
                    {
                        return false;
                    }
                }

                return true;
            case "term":
                {
                    var (field, expected) = body!.AsObject().Single();
                    var value = expected is JsonObject wrapped ? wrapped["value"] : expected;
                    var actual = Value(document, field);
                    return actual is not null && Compare(field, actual, value!) == 0;
                }
            case "range":
                {
                    var (field, bounds) = body!.AsObject().Single();
                    var actual = Value(document, field);
                    if (actual is null)
                    {
                        return false;
                    }

                    foreach (var (op, bound) in bounds!.AsObject())
                    {
                        int c = Compare(field, actual, bound!);
                        bool ok = op switch
                        {
                            "gte" => c >= 0,
                            "gt" => c > 0,
                            "lte" => c <= 0,
                            "lt" => c < 0,
                            _ => throw new NotSupportedException($"range [{op}]"),
                        };
                        if (!ok)
                        {
                            return false;
                        }
                    }

                    return true;
                }
            default:
                throw new NotSupportedException($"no [query] registered for [{kind}]");
        }
    }

    private List<(string Id, JsonObject Source)> Sort(List<(string Id, JsonObject Source)> documents, JsonArray sort)
    {
        var keys = new List<(string Field, bool Descending)>();
        foreach (var entry in sort)
        {
            if (entry is JsonValue name)
            {
                keys.Add((name.GetValue<string>(), false));
                continue;
            }

            var (field, order) = entry!.AsObject().Single();
            string direction = order is JsonObject o ? o["order"]!.GetValue<string>() : order!.GetValue<string>();
            keys.Add((field, direction switch
            {
                "desc" => true,
                "asc" => false,
                _ => throw new NotSupportedException($"sort order [{direction}]"),
            }));
        }

        var sorted = documents.ToList();
        sorted.Sort((a, b) =>
        {
            foreach (var (field, descending) in keys)
            {
                if (index.Mapping.TypeOf(field) is null)
                {
                    throw new InvalidOperationException($"No mapping found for [{field}] in order to sort on");
                }

                var x = Value(a.Source, field);
                var y = Value(b.Source, field);
                // Missing values sort last either way, as in Elasticsearch.
                int c = (x, y) switch
                {
                    (null, null) => 0,
                    (null, _) => 1,
                    (_, null) => -1,
                    _ => (descending ? -1 : 1) * Compare(field, x, y),
                };
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        });
        return sorted;
    }

    private JsonObject Aggregate(JsonObject aggs, List<JsonObject> documents)
    {
        var results = new JsonObject();
        foreach (var (name, definition) in aggs)
        {
            var body = definition!.AsObject();
            var sub = (body["aggs"] ?? body["aggregations"]) as JsonObject;
            var (kind, parameters) = body.Single(p => p.Key is not ("aggs" or "aggregations"));
            string field = parameters!["field"]!.GetValue<string>();
            results[name] = kind switch
            {
                "sum" => new JsonObject { ["value"] = documents.Sum(d => Value(d, field) is double v ? v : 0) },
                "terms" => Terms(documents, field, parameters["size"]?.GetValue<int>() ?? 10, sub),
                "date_histogram" => Histogram(documents, parameters.AsObject(), field, sub),
                _ => throw new NotSupportedException($"aggregation [{kind}]"),
            };
        }

        return results;
    }

    private JsonObject Terms(List<JsonObject> documents, string field, int size, JsonObject? sub)
    {
        var buckets = new JsonArray();
        foreach (var group in documents.GroupBy(d => d[field]?.ToJsonString()).Where(g => g.Key is not null)
                     .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(size))
        {
            var bucket = new JsonObject { ["key"] = JsonNode.Parse(group.Key!), ["doc_count"] = group.Count() };
            AddSub(bucket, sub, group.ToList());
            buckets.Add(bucket);
        }

        return new JsonObject { ["buckets"] = buckets };
    }

    private JsonObject Histogram(List<JsonObject> documents, JsonObject parameters, string field, JsonObject? sub)
    {
        foreach (var (key, _) in parameters)
        {
            if (key is not ("field" or "fixed_interval" or "min_doc_count"))
            {
                throw new NotSupportedException($"date_histogram [{key}]");
            }
        }

        if (index.Mapping.TypeOf(field) != "date")
        {
            throw new InvalidOperationException($"Field [{field}] of type [{index.Mapping.TypeOf(field)}] is not supported for aggregation [date_histogram]");
        }

        long interval = IntervalMs(parameters["fixed_interval"]?.GetValue<string>() ?? throw new InvalidOperationException("date_histogram needs an interval"));
        long minDocCount = parameters["min_doc_count"]?.GetValue<long>() ?? 0;
        var groups = documents.GroupBy(d => (long)Math.Floor((double)Value(d, field)! / interval) * interval).ToDictionary(g => g.Key, g => g.ToList());
        var buckets = new JsonArray();
        if (groups.Count > 0)
        {
            for (long key = groups.Keys.Min(); key <= groups.Keys.Max(); key += interval)
            {
                var inBucket = groups.GetValueOrDefault(key) ?? [];
                if (inBucket.Count < minDocCount)
                {
                    continue;
                }

                var bucket = new JsonObject
                {
                    ["key_as_string"] = DateTimeOffset.FromUnixTimeMilliseconds(key).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    ["key"] = key,
                    ["doc_count"] = inBucket.Count,
                };
                AddSub(bucket, sub, inBucket);
                buckets.Add(bucket);
            }
        }

        return new JsonObject { ["buckets"] = buckets };
    }

    private void AddSub(JsonObject bucket, JsonObject? sub, List<JsonObject> documents)
    {
        if (sub is null)
        {
            return;
        }

        foreach (var (name, result) in Aggregate(sub, documents).ToList())
        {
            bucket[name] = result!.DeepClone();
        }
    }

    private static long IntervalMs(string text)
    {
        long amount = long.Parse(text[..^1], CultureInfo.InvariantCulture);
        return text[^1] switch
        {
            's' => amount * 1_000,
            'm' => amount * 60_000,
            'h' => amount * 3_600_000,
            'd' => amount * 86_400_000,
            _ => throw new NotSupportedException($"fixed_interval [{text}]"),
        };
    }

    /// <summary>A field's value as the index compares it: dates as epoch milliseconds, numbers as doubles, keywords as text.</summary>
    private object? Value(JsonObject document, string field)
    {
        if (document[field] is not JsonValue value)
        {
            return null;
        }

        return Convert(field, value);
    }

    private object Convert(string field, JsonNode node)
    {
        var value = node.AsValue();
        if (index.Mapping.TypeOf(field) == "date")
        {
            return value.GetValueKind() == JsonValueKind.Number
                ? value.GetValue<double>()
                : (double)(FakeMapping.ParseDate(value.GetValue<string>()) ?? throw new FormatException($"failed to parse date field [{value}]")).ToUnixTimeMilliseconds();
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.Number => value.GetValue<double>(),
            JsonValueKind.String when index.Mapping.TypeOf(field) == "double" => double.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture),
            JsonValueKind.String => value.GetValue<string>(),
            _ => throw new NotSupportedException($"value {value} of [{field}]"),
        };
    }

    private int Compare(string field, object actual, JsonNode bound) => (actual, Convert(field, bound)) switch
    {
        (double a, double b) => a.CompareTo(b),
        (string a, string b) => string.CompareOrdinal(a, b),
        var (a, b) => throw new FormatException($"cannot compare [{a}] with [{b}] on [{field}]"),
    };

    private int Compare(string field, object x, object y) => (x, y) switch
    {
        (double a, double b) => a.CompareTo(b),
        (string a, string b) => string.CompareOrdinal(a, b),
        _ => throw new FormatException($"mixed types on [{field}]"),
    };
}
