using System.Text;
using System.Text.Json;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

/// <summary>Runs ComputeCostTravel on one record and exposes the outcome to assertions.</summary>
internal static class Transform
{
    public static readonly DateTime LogTimestamp = new(2025, 10, 30, 16, 9, 47, 200, DateTimeKind.Utc);

    public static Rejection Rejected(byte[] payload, ComputeCostOptions? options = null)
    {
        var results = new RideResultBuffer();
        bool ok = new ComputeCostTravel(options ?? new ComputeCostOptions()).TryTransform(payload, LogTimestamp, results, out Rejection rejection);
        Assert.False(ok, "expected a rejection, got " + (results.Count > 0 ? Encoding.UTF8.GetString(results.Value(0)) : "nothing"));
        Assert.Equal(0, results.Count);
        return rejection;
    }

    public static Rejection Rejected(string json) => Rejected(Encoding.UTF8.GetBytes(json));

    public static void AssertSchema(string json, string path, string messagePart)
    {
        Rejection rejection = Rejected(json);
        Assert.Equal(RejectionKind.Schema, rejection.Kind);
        Assert.Equal(path, rejection.Path);
        Assert.Contains(messagePart, rejection.Message, StringComparison.Ordinal);
    }

    public static JsonElement Accepted(string json) => AcceptedAll(json).Single();

    public static List<JsonElement> AcceptedAll(string json)
    {
        var results = new RideResultBuffer();
        bool ok = new ComputeCostTravel(new ComputeCostOptions()).TryTransform(Encoding.UTF8.GetBytes(json), LogTimestamp, results, out Rejection rejection);
        Assert.True(ok, "rejected: " + rejection);
        var documents = new List<JsonElement>();
        for (int i = 0; i < results.Count; i++)
        {
            using JsonDocument document = JsonDocument.Parse(results.Value(i).ToArray());
            JsonElement root = document.RootElement.Clone();
            Assert.Equal(results.RideId(i), Guid.Parse(root.GetProperty("ride_id").GetString()!));
            documents.Add(root);
        }

        return documents;
    }
}
