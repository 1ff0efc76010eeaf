using System.Text.Json;
using System.Text.RegularExpressions;

namespace Datastream.IntegrationTests;

/// <summary>Money in cents in every revenue output (SPEC §4): no float noise such as 1829025.6899999916.</summary>
public sealed partial class RevenueInCentsTests
{
    [Fact]
    public async Task RevenueOutputs_HaveAtMostTwoDecimals_InJsonCsvTableAndTheRunSummary()
    {
        using var dir = new TemporaryDirectory();
        string summary = await ComputeCostEndToEndTests.Ok(dir, "run", "--count", "3000", "--rate", "0", "--no-web", "--json", "--seed", "31");
        var fromRun = JsonDocument.Parse(summary).RootElement.GetProperty("revenue").EnumerateArray().ToList();
        var fromJson = JsonDocument.Parse(await ComputeCostEndToEndTests.Ok(dir, "analytics", "revenue", "--format", "json")).RootElement.EnumerateArray().ToList();
        Assert.NotEmpty(fromRun);
        Assert.Equal(3000, fromRun.Sum(r => r.GetProperty("n").GetInt64()));
        foreach (var revenue in fromRun.Concat(fromJson).Select(r => r.GetProperty("revenue")))
        {
            // Still a JSON number, written with at most two decimals.
            Assert.Equal(JsonValueKind.Number, revenue.ValueKind);
            Assert.Matches(Cents(), revenue.GetRawText());
        }

        // The same cells in both, the same cents.
        Assert.Equal(fromRun.Select(r => r.GetRawText()), fromJson.Select(r => r.GetRawText()));

        var csv = (await ComputeCostEndToEndTests.Ok(dir, "analytics", "revenue", "--format", "csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("cluster_id,comfort,revenue,n", csv[0]);
        Assert.Equal(fromJson.Count, csv.Length - 1);
        Assert.All(csv.Skip(1), line => Assert.Matches(Cents(), line.Split(',')[2]));
        Assert.Equal(fromJson.Select(r => r.GetProperty("revenue").GetDecimal()), csv.Skip(1).Select(line => decimal.Parse(line.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)));

        string table = await ComputeCostEndToEndTests.Ok(dir, "analytics", "revenue");
        var amounts = Amount().Matches(table).Select(m => m.Value).ToList();
        Assert.Equal(fromJson.Count, amounts.Count);
        Assert.All(amounts, a => Assert.Matches(Cents(), a));
    }

    [GeneratedRegex(@"^-?\d+(\.\d{1,2})?$")]
    private static partial Regex Cents();

    /// <summary>The revenue column of the table: the only cells with a decimal point.</summary>
    [GeneratedRegex(@"(?<=\s)\d+\.\d+(?=\s)")]
    private static partial Regex Amount();
}
