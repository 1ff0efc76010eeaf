using System.Text.Json;

namespace Datastream.IntegrationTests;

/// <summary>DATASTREAM_LOG_FORMAT=json: one JSON object per log line, and record-level lines name the ride.</summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task DeadLetterLines_AreJson_AndCarryTheRideId()
    {
        using var dir = new TemporaryDirectory();
        await ComputeCostEndToEndTests.Ok(dir, "produce", "--count", "300", "--invalid-ratio", "0.3", "--seed", "31");
        var json = new Dictionary<string, string> { ["DATASTREAM_LOG_FORMAT"] = "json" };
        var (code, _, stderr) = await DatastreamProcess.RunAsync(dir.Path, ["pipeline", "compute-cost", "--until-idle", "--verbose"], environment: json);
        Assert.True(code == 0, stderr);
        string raw = await ComputeCostEndToEndTests.Ok(dir, "topics", "tail", "rides_raw", "--from-beginning");
        string dlq = await ComputeCostEndToEndTests.Ok(dir, "topics", "tail", "rides_dlq", "--from-beginning");

        var logLines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(logLines, l => l.GetProperty("LogLevel").GetString() == "Information");
        var deadLetterLines = logLines.Where(l => l.GetProperty("Message").GetString()!.Contains(" dead letter ")).ToList();
        Assert.Equal(dlq.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, deadLetterLines.Count);
        int named = 0;
        foreach (var line in deadLetterLines)
        {
            var rideId = line.GetProperty("State").GetProperty("ride_id");
            if (rideId.ValueKind == JsonValueKind.String)
            {
                Assert.Contains(rideId.GetString()!, raw);
                named++;
            }
        }

        // Most rejected records still name their ride (schema errors); a record too broken to read carries null.
        Assert.True(named > deadLetterLines.Count / 2, $"{named} of {deadLetterLines.Count} dead-letter lines name their ride");
    }
}
