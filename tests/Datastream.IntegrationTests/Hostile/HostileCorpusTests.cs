using System.Security.Cryptography;
using System.Text;

namespace Datastream.IntegrationTests.Hostile;

/// <summary>The corpus itself: as wide as issue 11 asks, and every entry tellable apart by its bytes.</summary>
public sealed class HostileCorpusTests
{
    private static readonly DateTime Now = DateTime.UtcNow;

    [Fact]
    public void RawCorpus_HasAtLeastSixtyNamedKinds_OfEveryOutcome()
    {
        var corpus = HostileRecords.Create(Now);
        Assert.True(corpus.Count >= 60, $"{corpus.Count} kinds");
        Assert.Equal(corpus.Count, corpus.Select(r => r.Name).Distinct().Count());
        var kinds = corpus.Where(r => !r.Outcome.IsAccepted).Select(r => r.Outcome.Kind).ToHashSet();
        Assert.Equal(new HashSet<string?> { "invalid_json", "encoding", "too_large", "schema" }, kinds);
        Assert.Contains(corpus, r => r.Outcome.IsAccepted && r.Outcome.Rides.Count == 2);
    }

    [Fact]
    public void RawCorpus_HoldsTheSizeEdges()
    {
        var corpus = HostileRecords.Create(Now);
        Assert.Contains(corpus, r => r.Outcome.IsAccepted && r.Bytes.Length == HostileRecords.MaxMessageBytes);
        Assert.Contains(corpus, r => r.Outcome.Kind == "too_large" && r.Bytes.Length == HostileRecords.MaxMessageBytes + 1);
        var control = Assert.Single(corpus, r => r.Outcome.Truncated);
        Assert.Equal(HostileRecords.ControlBytesRecordSize, control.Bytes.Length);
        Assert.All(control.Bytes, b => Assert.True(b < 0x20));
    }

    [Fact]
    public void EveryEntryAndNeighbour_HasBytesOfItsOwn_AndEveryRideAKeyOfItsOwn()
    {
        var raw = ValidNeighbours.Around(HostileRecords.Create(Now), asResults: false, seed: 11);
        var injected = ValidNeighbours.Around([.. HostileResults.Create(Now), .. HostileRecords.Create(Now)], asResults: true, seed: 12);
        foreach (var sequence in new[] { raw, injected })
        {
            Assert.Equal(sequence.Count, sequence.Select(r => Convert.ToHexString(SHA256.HashData(r.Bytes))).Distinct().Count());
            var keys = sequence.SelectMany(r => r.Outcome.Rides).Select(r => r.Key).ToList();
            Assert.Equal(keys.Count, keys.Distinct().Count());
        }
    }

    [Fact]
    public void AcceptedEntries_AreJson_AndEncodingEntriesAreInvalidUtf8OrEscapedSurrogates()
    {
        foreach (var entry in HostileRecords.Create(Now).Where(r => r.Outcome.IsAccepted))
        {
            using var document = System.Text.Json.JsonDocument.Parse(entry.Bytes);
            Assert.Equal(System.Text.Json.JsonValueKind.Object, document.RootElement.ValueKind);
        }

        foreach (var entry in HostileRecords.Create(Now).Where(r => r.Outcome.Kind == "encoding"))
        {
            bool escapedSurrogate = Encoding.UTF8.GetString(entry.Bytes).Contains(@"\ud", StringComparison.OrdinalIgnoreCase);
            Assert.True(escapedSurrogate || !System.Text.Unicode.Utf8.IsValid(entry.Bytes), entry.Name);
        }
    }
}
